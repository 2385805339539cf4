/* SPDX-License-Identifier: AGPL-3.0-or-later */
/* The French words of the messages (the site's default language). */
#include "mail/templates.h"

#include <string.h>

const struct mail_catalogue mail_catalogue_fr = {
    .lang = "fr",
    .greeting = "Bonjour,",
    .signature = "Ce message a été envoyé automatiquement par recours ; inutile d'y répondre.",
    .reference_label = "Référence : ",
    .incident_label = "Incident : ",
    .action_label = "Action de groupe : ",
    .no_token_note = "Ce message ne contient jamais votre jeton de réclamation. Ne le "
                     "communiquez à personne : nous ne vous le demanderons jamais.",
    .not_you_note = "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
                    "rien ne change.",
    .accepted_subject = "Votre réclamation est enregistrée : ",
    .accepted_intro = "Votre réclamation a bien été enregistrée.",
    .my_claim_intro = "Pour la consulter, la corriger ou la retirer (avec le jeton reçu à "
                      "l'envoi) : ",
    .confirm_intro = "Pour confirmer votre adresse électronique, suivez ce lien : ",
    .corrected_subject = "Votre réclamation a été corrigée : ",
    .corrected_intro = "Votre réclamation vient d'être corrigée. Si ce n'est pas vous, "
                       "récupérez un nouveau jeton depuis cette page : ",
    .withdrawn_subject = "Votre réclamation est retirée : ",
    .withdrawn_intro = "Votre réclamation a été retirée. Ses données personnelles seront "
                       "effacées à la fin de la durée de conservation.",
    .recovery_subject = "Votre lien pour obtenir un nouveau jeton",
    .recovery_intro = "Vous avez demandé un nouveau jeton pour votre réclamation. Suivez le "
                      "lien ci-dessous : il remplace l'ancien jeton, qui cessera de "
                      "fonctionner.",
    .recovery_link_label = "Nouveau jeton : ",
    .recovery_expiry = "Chaque lien ne sert qu'une fois et n'est valable que 30 minutes.",
    .reason_label = "Motif : ",
    .rejected_subject = "Votre réclamation n'a pas été retenue : ",
    .rejected_intro = "L'association qui vous représente a examiné votre réclamation et ne l'a "
                      "pas retenue.",
    .rejected_correct_intro = "Vous pouvez la corriger pendant un temps limité (avec votre jeton "
                              "de réclamation) : elle sera alors examinée de nouveau : ",
    .removed_subject = "Vous n'êtes plus membre de l'action : ",
    .removed_intro = "L'association a retiré votre réclamation de son action de groupe. Votre "
                     "réclamation elle-même reste enregistrée.",
};

const struct mail_catalogue *
mail_catalogue_of(const char *lang)
{
    if (lang != NULL && strcmp(lang, "en") == 0)
        return &mail_catalogue_en;
    return &mail_catalogue_fr;
}
