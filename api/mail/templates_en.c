/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The English words of the messages. */
#include "mail/templates.h"

const struct mail_catalogue mail_catalogue_en = {
    .lang = "en",
    .greeting = "Hello,",
    .signature = "This message was sent automatically by recours; there is no need to reply.",
    .reference_label = "Reference: ",
    .incident_label = "Incident: ",
    .action_label = "Representative action: ",
    .no_token_note = "This message never contains your claim token. Share it with no one: "
                     "we will never ask you for it.",
    .not_you_note = "If you did not ask for this, ignore this message: nothing changes.",
    .accepted_subject = "Your claim is registered: ",
    .accepted_intro = "Your claim has been registered.",
    .my_claim_intro = "To see, correct or withdraw it (with the token you were given when "
                      "you sent it): ",
    .confirm_intro = "To confirm your email address, follow this link: ",
    .corrected_subject = "Your claim was corrected: ",
    .corrected_intro = "Your claim has just been corrected. If this was not you, get a new "
                       "token from this page: ",
    .withdrawn_subject = "Your claim is withdrawn: ",
    .withdrawn_intro = "Your claim has been withdrawn. Its personal data will be erased at "
                       "the end of the retention period.",
    .recovery_subject = "Your link to get a new token",
    .recovery_intro = "You asked for a new token for your claim. Follow the link below: it "
                      "replaces the old token, which will stop working.",
    .recovery_link_label = "New token: ",
    .recovery_expiry = "Each link works once and only for 30 minutes.",
    .reason_label = "Reason: ",
    .rejected_subject = "Your claim was not accepted: ",
    .rejected_intro = "The association representing you reviewed your claim and did not "
                      "accept it.",
    .rejected_correct_intro = "You may correct it for a limited time (with your claim "
                              "token); it will then be reviewed again: ",
    .removed_subject = "You are no longer a member of the action: ",
    .removed_intro = "The association has removed your claim from its representative action. "
                     "Your claim itself remains registered.",
};
