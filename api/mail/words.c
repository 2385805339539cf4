/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The words of the messages: each fragment in French (the site's default language), then in
 * English. */
#include "mail/words.h"

#include <string.h>

const struct mail_words mail_words = {
    .greeting = {"Bonjour,", "Hello,"},
    /* around the sender's name: the operator's when set, else "recours" (mail_signature) */
    .signature_by = {"Ce message a été envoyé automatiquement par ",
                     "This message was sent automatically by "},
    .signature_end = {MAIL_NBSP "; inutile d'y répondre.", "; there is no need to reply."},
    .reference_label = {"Référence" MAIL_NBSP ": ", "Reference: "},
    .incident_label = {"Incident" MAIL_NBSP ": ", "Incident: "},
    .action_label = {"Action de groupe" MAIL_NBSP ": ", "Representative action: "},
    .association_label = {"Portée par l'association" MAIL_NBSP ": ",
                          "Brought by the association: "},
    .no_token_note = {"Ce message ne contient jamais votre jeton de réclamation. Ne le "
                      "communiquez à personne" MAIL_NBSP ": nous ne vous le demanderons jamais.",
                      "This message never contains your claim token. Share it with no one: "
                      "we will never ask you for it."},
    .not_you_note = {"Si vous n'êtes pas à l'origine de cette demande, ignorez ce message" MAIL_NBSP
                     ": "
                     "rien ne change.",
                     "If you did not ask for this, ignore this message: nothing changes."},
    .accepted_subject = {"Votre réclamation est enregistrée" MAIL_NBSP ": ",
                         "Your claim is registered: "},
    .accepted_intro = {"Votre réclamation a bien été enregistrée.",
                       "Your claim has been registered."},
    /* the token was shown on the page, never sent: "reçu à l'envoi" sent a reader looking
     * for it in their mail; and one who did not note it learns the page gives another */
    .my_claim_intro = {"Pour la consulter, la corriger ou la retirer (avec le jeton affiché "
                       "après l'envoi de votre réclamation" MAIL_NBSP "; si vous l'avez perdu, "
                       "cette page permet d'en obtenir un nouveau)" MAIL_NBSP ": ",
                       "To see, correct or withdraw it (with the token shown after you sent "
                       "your claim; if you lost it, this page gets you a new one): "},
    /* the link opens a page whose button confirms (a mail scanner opens links, it does not
     * press buttons: handlers/recovery.c) */
    .confirm_intro = {"Pour confirmer votre adresse électronique, ouvrez ce lien puis appuyez "
                      "sur le bouton de la page" MAIL_NBSP ": ",
                      "To confirm your email address, open this link, then press the button "
                      "on its page: "},
    /* how long the link works (MAIL_CONFIRM_LINK_DAYS, the links' validity): one opened a
     * month later, with nothing said, failed without warning */
    .confirm_expiry = {"Ce lien est valable " MAIL_NUMBER(MAIL_CONFIRM_LINK_DAYS) MAIL_NBSP
                       "jours.",
                       "This link works for " MAIL_NUMBER(MAIL_CONFIRM_LINK_DAYS) " days."},
    /* the address may be someone else's, typed by mistake: its owner must know what to do */
    .confirm_not_you =
        {"Si vous n'avez pas déposé cette réclamation, ne suivez pas ce lien" MAIL_NBSP ": "
         "quelqu'un a donné votre adresse, peut-être par erreur, et une adresse "
         "non confirmée est signalée à la vérification.",
         "If you did not make this claim, do not follow this link: someone gave "
         "your address, perhaps by mistake, and an address that is not confirmed "
         "is flagged for checking."},
    .corrected_subject = {"Votre réclamation a été corrigée" MAIL_NBSP ": ",
                          "Your claim was corrected: "},
    .corrected_intro = {"Votre réclamation vient d'être corrigée. Si ce n'est pas vous, "
                        "récupérez un nouveau jeton depuis cette page" MAIL_NBSP ": ",
                        "Your claim has just been corrected. If this was not you, get a new "
                        "token from this page: "},
    .withdrawn_subject = {"Votre réclamation est retirée" MAIL_NBSP ": ",
                          "Your claim is withdrawn: "},
    /* so many days after (--withdrawn-retention-days), as /my-claim says: "at the end of the
     * retention period" left a person asking how long that is */
    .withdrawn_intro = {"Votre réclamation a été retirée. Ses données personnelles seront "
                        "effacées ",
                        "Your claim has been withdrawn. Its personal data will be erased "},
    .withdrawn_days = {MAIL_NBSP "jours après le retrait.", " days after the withdrawal."},
    .withdrawn_day = {MAIL_NBSP "jour après le retrait.", " day after the withdrawal."},
    .recovery_subject = {"Votre lien pour obtenir un nouveau jeton",
                         "Your link to get a new token"},
    .recovery_intro = {"Vous avez demandé un nouveau jeton pour votre réclamation. Suivez le "
                       "lien ci-dessous" MAIL_NBSP ": il remplace l'ancien jeton, qui cessera de "
                       "fonctionner.",
                       "You asked for a new token for your claim. Follow the link below: it "
                       "replaces the old token, which will stop working."},
    /* the line before the link: the link is not the token (a person copied it as one) */
    .recovery_link_label = {"Pour obtenir un nouveau jeton" MAIL_NBSP ": ", "To get a new token: "},
    .recovery_expiry = {"Chaque lien ne sert qu'une fois et n'est valable que 30 minutes.",
                        "Each link works once and only for 30 minutes."},
    .reason_label = {"Motif" MAIL_NBSP ": ", "Reason: "},
    .rejected_subject = {"Votre réclamation n'a pas été retenue" MAIL_NBSP ": ",
                         "Your claim was not accepted: "},
    .rejected_intro = {"L'association qui vous représente a examiné votre réclamation et ne "
                       "l'a pas retenue.",
                       "The association representing you reviewed your claim and did not "
                       "accept it."},
    .rejected_correct_before = {"Vous pouvez la corriger jusqu'au ", "You may correct it until "},
    .rejected_correct_after = {" (avec votre jeton de réclamation)" MAIL_NBSP
                               "; elle sera alors examinée "
                               "de nouveau" MAIL_NBSP ": ",
                               " (with your claim token); it will then be reviewed again: "},
    .rejected_final_intro = {"Pour la consulter (avec votre jeton de réclamation)" MAIL_NBSP ": ",
                             "To see it (with your claim token): "},
    .month = {{"janvier", "January"},
              {"février", "February"},
              {"mars", "March"},
              {"avril", "April"},
              {"mai", "May"},
              {"juin", "June"},
              {"juillet", "July"},
              {"août", "August"},
              {"septembre", "September"},
              {"octobre", "October"},
              {"novembre", "November"},
              {"décembre", "December"}},
    .first_of_month = {"1er", "1"},
    .removed_subject = {"Vous n'êtes plus membre de l'action" MAIL_NBSP ": ",
                        "You are no longer a member of the action: "},
    .removed_intro = {"L'association a retiré votre réclamation de son action de groupe. "
                      "Votre réclamation elle-même reste enregistrée.",
                      "The association has removed your claim from its representative "
                      "action. Your claim itself remains registered."},
    .address_changed_subject = {"L'adresse électronique de votre réclamation a changé" MAIL_NBSP
                                ": ",
                                "The email address of your claim was changed: "},
    .address_changed_before = {"L'adresse électronique de votre réclamation a été "
                               "remplacée le ",
                               "The email address of your claim was changed on "},
    .address_changed_recently = {"jour de sa correction", "the day of its correction"},
    .address_changed_between = {" par ", " to "},
    .address_changed_after = {". Les messages sur cette réclamation iront désormais à cette "
                              "adresse.",
                              ". Messages about this claim now go to that address."},
    .not_you_operator = {"Si ce n'est pas vous, quelqu'un détient le jeton de votre "
                         "réclamation" MAIL_NBSP
                         ": écrivez sans attendre à l'exploitant du service, "
                         "qui vous aidera à la récupérer" MAIL_NBSP ": ",
                         "If this was not you, someone holds your claim's token: write "
                         "at once to the service's operator, who will help you recover "
                         "your claim: "},
    .not_you_operator_page = {"Si ce n'est pas vous, quelqu'un détient le jeton de votre "
                              "réclamation" MAIL_NBSP ": écrivez sans attendre à l'exploitant du "
                              "service (ses coordonnées sont sur cette page), qui vous "
                              "aidera à la récupérer" MAIL_NBSP ": ",
                              "If this was not you, someone holds your claim's token: "
                              "write at once to the service's operator (their address "
                              "is on this page), who will help you recover your claim: "},
    .address_changed_last =
        {"Ce message est envoyé à l'ancienne adresse de la réclamation" MAIL_NBSP "; "
         "elle n'en recevra plus d'autre.",
         "This message goes to the claim's former address; it will receive "
         "no other."},
    .notice_from_before = {"Message de ", "Message from "},
    /* French guillemets hold their title with no-break spaces: never a "»" alone on a line */
    .notice_from_between = {" aux membres de l'action \xc2\xab\xc2\xa0",
                            " to the members of the action \xe2\x80\x9c"},
    .notice_from_after = {"\xc2\xa0\xc2\xbb.", "\xe2\x80\x9d."},
    .notice_reference = {"Votre référence" MAIL_NBSP ": ", "Your reference: "},
    .notice_my_claim = {"Votre réclamation" MAIL_NBSP ": ", "Your claim: "},
    .notice_stop = {"Pour ne plus recevoir les avis non essentiels de cette action (les "
                    "décisions, échéances et paiements vous parviendront toujours)" MAIL_NBSP ": ",
                    "To stop receiving non-essential notices of this action (decisions, "
                    "deadlines and payments will still reach you): "},
    .notice_essential = {"Cet avis est essentiel" MAIL_NBSP
                         ": il est envoyé à chaque membre de l'action.",
                         "This notice is essential: it goes to every member of the action."},
};

enum mail_lang
mail_lang_of(const char *lang)
{
    return lang != NULL && strcmp(lang, "en") == 0 ? MAIL_EN : MAIL_FR;
}

const char *
mail_lang_code(enum mail_lang l)
{
    return l == MAIL_EN ? "en" : "fr";
}
