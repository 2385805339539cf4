// SPDX-License-Identifier: AGPL-3.0-or-later
// /my-claim's access form with JavaScript: the box that shows the token typed (a password
// field, so that it is not read over a shoulder nor kept in the browser's form history), for
// 43 characters copied from paper are checked before they are sent. The server writes the box
// hidden: without JavaScript nothing could show the token. The field is a password field again
// when the form is sent.

const token = document.getElementById("token");
const show = document.getElementById("show-token");
if (token && show) {
    const field = document.getElementById("show-token-field");
    show.checked = false;
    show.addEventListener("change", () => {
        token.type = show.checked ? "text" : "password";
    });
    token.form?.addEventListener("submit", () => {
        token.type = "password";
    });
    field.hidden = false;
}
