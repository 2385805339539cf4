// SPDX-License-Identifier: AGPL-3.0-or-later
// The evidence section of /my-claim with JavaScript (docs/evidence.md §3): the chosen file goes
// to the API, POST /v1/claims/{reference}/evidence with the claim token as Bearer credential,
// with a progress bar (XMLHttpRequest: fetch reports no upload progress), and the claim page is
// then opened again with the same credentials, in a form body (never an address). A file over
// the limit is stopped here before a byte is sent. Without JavaScript the same form posts
// multipart/form-data to /my-claim/evidence.

const form = document.getElementById("evidence-form");
const field = document.getElementById("evidence-field");

function message(name) {
  return field.dataset["msg" + name[0].toUpperCase() + name.slice(1)] || "";
}

function say(status, text, isError) {
  status.textContent = text;
  status.className = isError ? "status status-error" : "";
}

// The claim page again: a form=open post with the claim's reference and token, saying at its
// top that the file was attached (the list is far below on a phone), as the page without
// JavaScript does.
function reopen() {
  const back = document.createElement("form");
  back.method = "post";
  back.action = "/my-claim?lang=" + encodeURIComponent(form.elements.lang.value);
  for (const [name, value] of [["form", "open"], ["lang", form.elements.lang.value],
                               ["reference", form.elements.reference.value],
                               ["token", form.elements.token.value],
                               ["done", "evidence_added"]]) {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    back.appendChild(input);
  }
  document.body.appendChild(back);
  back.submit();
}

// A file chosen but not attached cannot follow the language switch (no page can fill a file
// input): the switch's post names it, and the page in the other language says to choose it
// again (api/handlers/evidence_page.c, "evidence_dropped"; docs/web-forms.md).
function nameDroppedFileOnSwitch(input) {
  for (const button of document.querySelectorAll(".lang-switch button")) {
    button.addEventListener("click", () => {
      const file = input.files && input.files[0];
      const target = button.form;
      if (!file || !target)
        return;
      let dropped = target.querySelector('input[name="evidence_dropped"]');
      if (!dropped) {
        dropped = document.createElement("input");
        dropped.type = "hidden";
        dropped.name = "evidence_dropped";
        target.appendChild(dropped);
      }
      dropped.value = file.name;
    });
  }
  // back to this page from the browser's cache: the switch was not the last word
  window.addEventListener("pageshow", (event) => {
    if (event.persisted)
      document.querySelectorAll('input[name="evidence_dropped"]').forEach((e) => e.remove());
  });
}

if (form && field) {
  const input = document.getElementById("evidence-file");
  nameDroppedFileOnSwitch(input);
  const bar = document.getElementById("evidence-progress");
  const status = document.getElementById("evidence-status");
  const button = document.getElementById("evidence-add");
  const max = Number(field.dataset.maxBytes);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = input.files && input.files[0];
    if (!file) {
      say(status, message("none"), true);
      return;
    }
    if (file.size > max) {
      say(status, message("size"), true);
      return;
    }
    const reference = form.elements.reference.value;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/v1/claims/" + encodeURIComponent(reference) + "/evidence?name="
             + encodeURIComponent(file.name));
    xhr.setRequestHeader("Authorization", "Bearer " + form.elements.token.value);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    // the percentage is the bar's (read where the bar is): the status, a live region, says
    // "sending" once, not each step of the upload
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable)
        bar.value = Math.floor((100 * e.loaded) / e.total);
    });
    xhr.addEventListener("load", () => {
      button.disabled = false;
      if (xhr.status === 201) {
        reopen();
        return;
      }
      bar.hidden = true;
      const kind = xhr.status === 415 ? "type" : xhr.status === 413 ? "size" : "failed";
      say(status, message(kind), true);
    });
    xhr.addEventListener("error", () => {
      button.disabled = false;
      bar.hidden = true;
      say(status, message("failed"), true);
    });
    bar.hidden = false;
    bar.value = 0;
    say(status, message("sending"), false);
    button.disabled = true;
    xhr.send(file);
  });
}
