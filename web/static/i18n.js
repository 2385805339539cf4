// SPDX-License-Identifier: AGPL-3.0-or-later
// Every user-visible string of the pages, in French and English, and the language machinery:
// t(key, params), the current language (localStorage, else navigator.language), the switch,
// and applyI18n(), which fills the elements marked data-i18n="key" (text) and
// data-i18n-attr="attribute:key;attribute:key".
//
// Message keys for validation errors: err.<field path without [i]>.<code>, else
// err.code.<code> (API.md §2 codes); the server's own English message is the last resort.

const NBSP = "\u00a0";   // French: before ? ! : ; and inside « »

const messages = {
    en: {
        "lang.group": "Language / Langue",
        "lang.name": "English",

        "title.index": "recours — claims after a data breach",
        "title.claim": "Make a claim — recours",
        "title.my_claim": "My claim — recours",
        "title.dashboard": "Associations — recours",

        "common.skip": "Skip to content",
        "nav.label": "Main menu",
        "nav.incidents": "Incidents",
        "nav.my_claim": "My claim",
        "nav.associations": "Associations",
        "footer.text": "recours is free software (AGPL-3.0). Personal data is encrypted on the server and never shared outside the claim process.",
        "common.loading": "Loading…",
        "common.retry": "Try again",
        "common.yes": "Yes",
        "common.no": "No",
        "common.none": "None",
        "common.not_given": "Not given",
        "common.list_sep": ", ",
        "common.label_sep": ": ",

        "problem.network": "The server could not be reached. Check your connection and try again.",
        "problem.generic": "Something went wrong (error {status}). Please try again later.",
        "problem.unavailable": "The service is temporarily unavailable. Please try again in {seconds} seconds.",
        "problem.rate_limited": "Too many attempts from your connection. Please wait {seconds} seconds and try again.",

        // index
        "index.h1": "Claim compensation after a data breach",
        "index.intro1": "recours lets anyone whose personal data was exposed in a breach register a claim in a few minutes.",
        "index.intro2": "Approved associations then bring the claims together in a representative action for compensation.",
        "index.open_h2": "Incidents open for claims",
        "index.none": "No incident is open for claims at the moment.",
        "index.load_error": "The list of incidents could not be loaded.",
        "index.more": "Show more incidents",
        "index.already_h2": "Already made a claim?",
        "index.already_p": "With your reference and your token you can see, correct or withdraw it.",
        "index.already_link": "See my claim",

        "incident.disclosed": "Made public on",
        "incident.affected": "People affected (reported by the company)",
        "incident.categories": "Data exposed",
        "incident.authority": "Supervisory authority reference",
        "incident.make_claim": "Make a claim",
        "incident.make_claim_for": "Make a claim: {controller}, {title}",
        "incident.closed": "Closed to new claims",

        "cat.name": "Name",
        "cat.email": "Email address",
        "cat.phone": "Phone number",
        "cat.postal_address": "Postal address",
        "cat.birth_date": "Date of birth",
        "cat.password": "Password",
        "cat.financial": "Financial data (card, bank account)",
        "cat.national_id": "National identity number",
        "cat.health": "Health data",
        "cat.order_history": "Order history",
        "cat.location": "Location data",
        "cat.biometric": "Biometric data",

        // claim form
        "claim.h1": "Make a claim",
        "claim.no_incident": "No incident was chosen.",
        "claim.not_found": "This incident does not exist.",
        "claim.closed": "This incident no longer accepts claims.",
        "claim.back_to_list": "See the incidents open for claims",
        "claim.intro": "It takes about 3 minutes. Fields marked “optional” can be left empty; all the others are needed.",
        "claim.you": "About you",
        "claim.address": "Your postal address",
        "claim.categories": "Which of your data was exposed?",
        "claim.categories_hint": "Only the data exposed in this incident is listed. Select at least one.",
        "claim.harms": "What happened to you?",
        "claim.harms_hint": "Tick what applies; leave empty if nothing did.",
        "claim.payment": "How would you like to be compensated?",
        "claim.privacy": "Privacy",
        "claim.submit": "Submit my claim",
        "claim.submitting": "Sending your claim…",

        "f.given_name": "Given name",
        "f.family_name": "Family name",
        "f.email": "Email address",
        "f.email_hint": "Preferably the address you used with the company.",
        "f.phone": "Phone number (optional)",
        "f.phone_hint": "With the country code (+33 6 12 34 56 78) or in the national format of your address's country.",
        "f.birth_date": "Date of birth (optional)",
        "f.birth_date_hint": "Helps tell apart people with the same name.",
        "f.line1": "Address",
        "f.line1_hint": "Number and street.",
        "f.line2": "Address line 2 (optional)",
        "f.postal_code": "Postal code",
        "f.city": "Town or city",
        "f.country": "Country",
        "f.data_categories": "Data exposed",
        "f.harms": "What happened to you",
        "f.documented_loss": "Financial loss you can document, in {currency} (optional)",
        "f.documented_loss_label": "Documented financial loss",
        "f.documented_loss_hint": "For example {example}. Keep the receipts: the association may ask for them.",
        "f.hours_spent": "Hours spent dealing with the consequences (optional)",
        "f.hours_spent_hint": "Whole hours, from 0 to 1000: changing passwords, calling your bank, filing complaints…",
        "f.description": "Describe what happened (optional)",
        "f.description_count": "{n} characters left out of {max}.",
        "f.payment_preference": "Compensation",
        "f.privacy": "Privacy notice",

        "harm.phishing": "I received phishing messages, scam calls or spam",
        "harm.identity_theft": "Someone used my identity (account opened, purchase, loan…)",
        "harm.distress": "The breach caused me worry or distress",

        "pay.voucher": "Vouchers",
        "pay.voucher_hint": "Purchase vouchers, when the settlement offers them.",
        "pay.cash": "Money",
        "pay.cash_hint": "A payment to you. Depending on the settlement it can be lower than the vouchers.",

        "privacy.summary": "The privacy notice in short",
        "privacy.p1": "Your data is used only to register your claim and, if you give a mandate, to let an approved association represent you.",
        "privacy.p2": "Personal data is encrypted on the server. With your reference and token you can see, correct or withdraw your claim at any time; after a withdrawal your personal data is erased at the end of the retention period.",
        "privacy.accept": "I have read the privacy notice (version {version}) and I accept that my data is processed to handle my claim.",

        "errors.title": "There is a problem",
        "errors.intro": "Please check these answers:",

        "claim.err.duplicate": "A claim already exists for this person on this incident (same email address, phone number, or name and date of birth). You do not need to claim twice: use the reference and the token of your claim to see or correct it.",
        "claim.err.duplicate_link": "Go to my claim",
        "claim.err.closed": "This incident has stopped accepting claims. Your claim was not registered.",
        "claim.err.in_use": "Your claim is still being processed. Wait a moment and submit again: it will not be registered twice.",
        "claim.err.network": "The server could not be reached. Your answers are kept: submit again when you are back online. You will not make two claims.",
        "claim.err.unavailable": "The service is temporarily unavailable and your claim was not registered. Your answers are kept: try again in {seconds} seconds.",
        "claim.err.rate_limited": "Too many claims were sent from your connection. Your answers are kept: try again in {seconds} seconds.",
        "claim.err.other": "Your claim could not be registered (error {status}). Your answers are kept; please try again later.",

        "receipt.h2": "Your claim is registered",
        "receipt.reference": "Reference",
        "receipt.token": "Token",
        "receipt.keep": "Keep these two now: the token is shown only once. You need both to see, correct or withdraw your claim, and no one can send the token to you again.",
        "receipt.copy": "Copy the reference and the token",
        "receipt.copied": "Copied. Paste them somewhere safe, such as a password manager.",
        "receipt.copy_failed": "Copying failed: select the reference and the token and copy them by hand.",
        "receipt.clipboard": "recours claim\nReference: {reference}\nToken: {token}\n",
        "receipt.print": "Print this page",
        "receipt.my_claim": "See my claim",
        "receipt.status": "Status: {status}.",

        // my claim
        "my.h1": "My claim",
        "my.intro": "Enter the reference and the token you received when you made your claim. The token stays in this page only: it is never stored nor put in the address bar.",
        "f.reference": "Reference",
        "f.reference_hint": "Like RC-7K3M-Q9XD.",
        "f.token": "Token",
        "f.token_hint": "The secret of 32 characters or more shown once after your claim.",
        "my.show_token": "Show the token",
        "my.open": "Show my claim",
        "my.opening": "Looking for your claim…",
        "my.not_found": "Reference or token not recognised. Check both and try again.",
        "my.claim_h2": "Claim {reference}",
        "my.incident": "Incident",
        "my.status": "Status",
        "my.reason": "Reason given",
        "my.submitted": "Submitted on",
        "my.updated": "Last changed on",
        "my.withdrawn_at": "Withdrawn on",
        "my.you_h3": "Your details",
        "my.name": "Name",
        "my.data_h3": "Data exposed",
        "my.harms_h3": "What happened to you",
        "my.harm_loss": "Documented financial loss",
        "my.harm_hours": "Hours spent",
        "my.harm_description": "Description",
        "my.payment": "Compensation preferred",
        "my.mandate": "Representative action",
        "my.mandate_none": "Your claim is not part of a representative action yet.",
        "my.mandate_yes": "Mandate given on {date} (mandate text version {version}).",
        "my.withdraw": "Withdraw my claim",
        "my.withdraw_h": "Withdraw this claim?",
        "my.withdraw_p": "Your claim will no longer count and will leave any representative action. This cannot be undone: to claim again you would have to make a new claim.",
        "my.withdraw_yes": "Yes, withdraw my claim",
        "my.withdraw_no": "No, keep it",
        "my.withdrawing": "Withdrawing your claim…",
        "my.withdrawn_done": "Your claim has been withdrawn. Your personal data will be erased at the end of the retention period.",
        "my.correct_h2": "Correct your contact details",
        "my.correct_hint": "Change what is wrong and save. Leave the phone number or the second address line empty to remove them.",
        "my.correct_save": "Save the corrections",
        "my.correct_saving": "Saving…",
        "my.correct_nothing": "Nothing has changed.",
        "my.corrected": "Your corrections are saved.",
        "my.correct_duplicate": "These details already belong to another claim on this incident. Nothing was changed.",
        "my.claim_withdrawn": "This claim has been withdrawn and can no longer be changed.",
        "my.close": "Close and forget the token",
        "my.closed": "The claim is closed and the token forgotten by this page.",

        "status.received": "Received",
        "status.verified": "Verified",
        "status.rejected": "Rejected",
        "status.withdrawn": "Withdrawn",
        "status.received_help": "Your claim is registered. An association may check it later.",
        "status.verified_help": "An association has checked your claim.",
        "status.rejected_help": "Your claim was rejected. You can correct it if the reason allows.",
        "status.withdrawn_help": "You withdrew this claim. It no longer counts.",

        // dashboard
        "dash.h1": "Associations",
        "dash.intro": "This page is for approved associations that represent claimants.",
        "dash.key_h2": "Your API key",
        "f.api_key": "API key",
        "f.api_key_hint": "Kept in this page's memory only: it is lost when you leave or reload the page, and never stored.",
        "dash.use_key": "Use this key",
        "dash.forget_key": "Forget the key",
        "dash.key_kept": "The key is kept in this page's memory. Nothing is sent with it yet.",
        "dash.key_forgotten": "The key has been forgotten.",
        "dash.coming": "Representative actions, members, compensation summaries and exports for counsel will appear here with the associations API. Until then this page lists the incidents open for claims.",
        "dash.col.controller": "Company",
        "dash.col.incident": "Incident",
        "dash.col.disclosed": "Made public on",
        "dash.col.affected": "People affected",
        "dash.col.categories": "Data exposed",
        "dash.col.slug": "Identifier",
        "dash.caption": "Incidents open for claims",

        // validation messages (API.md §2 codes)
        "err.code.required": "This is needed.",
        "err.code.unknown-field": "This field is not accepted.",
        "err.code.read-only": "This cannot be changed.",
        "err.code.invalid-type": "This value has the wrong type.",
        "err.code.invalid-format": "The format is not valid.",
        "err.code.invalid-value": "This value is not accepted.",
        "err.code.out-of-range": "This value is out of the accepted range.",
        "err.code.too-long": "This is too long.",
        "err.code.too-short": "This is too short.",
        "err.code.duplicate-value": "This is repeated.",
        "err.code.not-in-incident": "This was not exposed in this incident.",
        "err.code.mismatch": "This does not match.",
        "err.code.sum-mismatch": "The amounts do not add up.",
        "err.code.unavailable": "This is not available.",
        "err.code.not-found": "Not found.",
        "err.code.immutable": "This cannot be changed.",

        "err.claimant.given_name.required": "Enter your given name.",
        "err.claimant.given_name.too-long": "Enter at most 100 characters.",
        "err.claimant.given_name.invalid-format": "Use letters, spaces and punctuation only.",
        "err.claimant.family_name.required": "Enter your family name.",
        "err.claimant.family_name.too-long": "Enter at most 100 characters.",
        "err.claimant.family_name.invalid-format": "Use letters, spaces and punctuation only.",
        "err.claimant.email.required": "Enter your email address.",
        "err.claimant.email.invalid-format": "Enter an email address like name@example.org.",
        "err.claimant.email.too-long": "Enter at most 254 characters.",
        "err.claimant.phone.invalid-format": "Enter a phone number with its country code (+33 6 12 34 56 78) or in the national format of your address's country.",
        "err.claimant.phone.too-long": "This phone number is too long.",
        "err.claimant.birth_date.invalid-format": "Enter a real date.",
        "err.claimant.birth_date.out-of-range": "Enter a date between 1 January 1900 and yesterday.",
        "err.claimant.address.line1.required": "Enter your address.",
        "err.claimant.address.line1.too-long": "Enter at most 200 characters.",
        "err.claimant.address.line2.too-long": "Enter at most 200 characters.",
        "err.claimant.address.postal_code.required": "Enter your postal code.",
        "err.claimant.address.postal_code.too-long": "Enter at most 20 characters.",
        "err.claimant.address.city.required": "Enter your town or city.",
        "err.claimant.address.city.too-long": "Enter at most 100 characters.",
        "err.claimant.address.country.required": "Choose your country.",
        "err.claimant.address.country.invalid-value": "Choose a country from the list.",
        "err.data_categories.required": "Select at least one type of data.",
        "err.data_categories.too-short": "Select at least one type of data.",
        "err.data_categories.not-in-incident": "“{item}” was not exposed in this incident.",
        "err.data_categories.duplicate-value": "“{item}” is selected twice.",
        "err.data_categories.invalid-value": "“{item}” is not a known type of data.",
        "err.harms.documented_loss.invalid-format": "Enter an amount like {example}.",
        "err.harms.documented_loss.out-of-range": "Enter an amount from 0 to {max}.",
        "err.harms.documented_loss.invalid-type": "Enter an amount like {example}.",
        "err.harms.hours_spent.invalid-format": "Enter a whole number of hours.",
        "err.harms.hours_spent.invalid-type": "Enter a whole number of hours.",
        "err.harms.hours_spent.out-of-range": "Enter a whole number of hours from 0 to 1000.",
        "err.harms.description.too-long": "Use at most 4000 characters.",
        "err.harms.description.invalid-format": "Use text, line breaks and tabs only.",
        "err.payment_preference.required": "Choose how you would like to be compensated.",
        "err.payment_preference.invalid-value": "Choose how you would like to be compensated.",
        "err.privacy_notice_version.required": "You need to accept the privacy notice to make a claim.",
        "err.privacy_notice_version.mismatch": "The privacy notice has changed: reload the page and read it again.",
        "err.reference.required": "Enter the reference of your claim.",
        "err.reference.invalid-format": "Enter a reference like RC-7K3M-Q9XD.",
        "err.token.required": "Enter the token of your claim.",
        "err.token.invalid-format": "The token has 32 characters or more: letters, digits, - and _.",
        "err.api_key.required": "Enter an API key.",
    },

    fr: {
        "lang.group": "Language / Langue",
        "lang.name": "Français",

        "title.index": "recours — réclamations après une fuite de données",
        "title.claim": "Déposer une réclamation — recours",
        "title.my_claim": "Ma réclamation — recours",
        "title.dashboard": "Associations — recours",

        "common.skip": "Aller au contenu",
        "nav.label": "Menu principal",
        "nav.incidents": "Incidents",
        "nav.my_claim": "Ma réclamation",
        "nav.associations": "Associations",
        "footer.text": "recours est un logiciel libre (AGPL-3.0). Les données personnelles sont chiffrées sur le serveur et ne servent qu'au traitement des réclamations.",
        "common.loading": "Chargement…",
        "common.retry": "Réessayer",
        "common.yes": "Oui",
        "common.no": "Non",
        "common.none": "Aucune",
        "common.not_given": "Non renseigné",
        "common.list_sep": ", ",
        "common.label_sep": NBSP + ": ",

        "problem.network": "Le serveur est injoignable. Vérifiez votre connexion et réessayez.",
        "problem.generic": "Une erreur s'est produite (erreur {status}). Veuillez réessayer plus tard.",
        "problem.unavailable": "Le service est momentanément indisponible. Veuillez réessayer dans {seconds}" + NBSP + "secondes.",
        "problem.rate_limited": "Trop de tentatives depuis votre connexion. Attendez {seconds}" + NBSP + "secondes avant de réessayer.",

        "index.h1": "Demander réparation après une fuite de données",
        "index.intro1": "recours permet à toute personne dont les données personnelles ont fuité de déposer une réclamation en quelques minutes.",
        "index.intro2": "Des associations agréées regroupent ensuite les réclamations dans une action de groupe pour obtenir réparation.",
        "index.open_h2": "Incidents ouverts aux réclamations",
        "index.none": "Aucun incident n'est ouvert aux réclamations pour le moment.",
        "index.load_error": "La liste des incidents n'a pas pu être chargée.",
        "index.more": "Afficher plus d'incidents",
        "index.already_h2": "Vous avez déjà déposé une réclamation" + NBSP + "?",
        "index.already_p": "Avec votre référence et votre jeton, vous pouvez la consulter, la corriger ou la retirer.",
        "index.already_link": "Voir ma réclamation",

        "incident.disclosed": "Rendu public le",
        "incident.affected": "Personnes concernées (selon l'entreprise)",
        "incident.categories": "Données exposées",
        "incident.authority": "Référence de l'autorité de contrôle",
        "incident.make_claim": "Déposer une réclamation",
        "incident.make_claim_for": "Déposer une réclamation" + NBSP + ": {controller}, {title}",
        "incident.closed": "Fermé aux nouvelles réclamations",

        "cat.name": "Nom",
        "cat.email": "Adresse e-mail",
        "cat.phone": "Numéro de téléphone",
        "cat.postal_address": "Adresse postale",
        "cat.birth_date": "Date de naissance",
        "cat.password": "Mot de passe",
        "cat.financial": "Données financières (carte, compte bancaire)",
        "cat.national_id": "Numéro d'identification national",
        "cat.health": "Données de santé",
        "cat.order_history": "Historique de commandes",
        "cat.location": "Données de localisation",
        "cat.biometric": "Données biométriques",

        "claim.h1": "Déposer une réclamation",
        "claim.no_incident": "Aucun incident n'a été choisi.",
        "claim.not_found": "Cet incident n'existe pas.",
        "claim.closed": "Cet incident n'accepte plus de réclamations.",
        "claim.back_to_list": "Voir les incidents ouverts aux réclamations",
        "claim.intro": "Comptez environ 3" + NBSP + "minutes. Les champs marqués «" + NBSP + "facultatif" + NBSP + "» peuvent rester vides" + NBSP + "; tous les autres sont nécessaires.",
        "claim.you": "Vous",
        "claim.address": "Votre adresse postale",
        "claim.categories": "Quelles données vous concernant ont été exposées" + NBSP + "?",
        "claim.categories_hint": "Seules les données exposées dans cet incident sont proposées. Cochez-en au moins une.",
        "claim.harms": "Qu'avez-vous subi" + NBSP + "?",
        "claim.harms_hint": "Cochez ce qui s'applique" + NBSP + "; laissez vide si rien ne s'applique.",
        "claim.payment": "Sous quelle forme souhaitez-vous être indemnisé" + NBSP + "?",
        "claim.privacy": "Confidentialité",
        "claim.submit": "Envoyer ma réclamation",
        "claim.submitting": "Envoi de votre réclamation…",

        "f.given_name": "Prénom",
        "f.family_name": "Nom de famille",
        "f.email": "Adresse e-mail",
        "f.email_hint": "De préférence celle que vous utilisiez auprès de l'entreprise.",
        "f.phone": "Téléphone (facultatif)",
        "f.phone_hint": "Avec l'indicatif du pays (+33 6 12 34 56 78) ou au format national du pays de votre adresse.",
        "f.birth_date": "Date de naissance (facultative)",
        "f.birth_date_hint": "Permet de distinguer les homonymes.",
        "f.line1": "Adresse",
        "f.line1_hint": "Numéro et voie.",
        "f.line2": "Complément d'adresse (facultatif)",
        "f.postal_code": "Code postal",
        "f.city": "Ville",
        "f.country": "Pays",
        "f.data_categories": "Données exposées",
        "f.harms": "Ce que vous avez subi",
        "f.documented_loss": "Perte financière justifiable, en {currency} (facultatif)",
        "f.documented_loss_label": "Perte financière justifiable",
        "f.documented_loss_hint": "Par exemple {example}. Gardez les justificatifs" + NBSP + ": l'association pourra vous les demander.",
        "f.hours_spent": "Heures passées à gérer les conséquences (facultatif)",
        "f.hours_spent_hint": "En heures entières, de 0 à 1000" + NBSP + ": changer vos mots de passe, appeler votre banque, porter plainte…",
        "f.description": "Décrivez ce qui s'est passé (facultatif)",
        "f.description_count": "Il reste {n} caractères sur {max}.",
        "f.payment_preference": "Indemnisation",
        "f.privacy": "Notice de confidentialité",

        "harm.phishing": "J'ai reçu des messages d'hameçonnage, des appels frauduleux ou du spam",
        "harm.identity_theft": "Quelqu'un a usurpé mon identité (compte ouvert, achat, crédit…)",
        "harm.distress": "La fuite m'a causé de l'inquiétude ou de la détresse",

        "pay.voucher": "Bons d'achat",
        "pay.voucher_hint": "Des bons d'achat, si l'accord d'indemnisation en prévoit.",
        "pay.cash": "Argent",
        "pay.cash_hint": "Un versement. Selon l'accord, il peut être inférieur à la valeur des bons.",

        "privacy.summary": "La notice de confidentialité en bref",
        "privacy.p1": "Vos données servent uniquement à enregistrer votre réclamation et, si vous donnez un mandat, à permettre à une association agréée de vous représenter.",
        "privacy.p2": "Les données personnelles sont chiffrées sur le serveur. Avec votre référence et votre jeton, vous pouvez à tout moment consulter, corriger ou retirer votre réclamation" + NBSP + "; après un retrait, vos données personnelles sont effacées à la fin de la durée de conservation.",
        "privacy.accept": "J'ai lu la notice de confidentialité (version {version}) et j'accepte que mes données soient traitées pour instruire ma réclamation.",

        "errors.title": "Il y a un problème",
        "errors.intro": "Veuillez vérifier ces réponses" + NBSP + ":",

        "claim.err.duplicate": "Une réclamation existe déjà pour cette personne sur cet incident (même adresse e-mail, même téléphone, ou mêmes nom et date de naissance). Inutile de la déposer deux fois" + NBSP + ": utilisez la référence et le jeton de votre réclamation pour la consulter ou la corriger.",
        "claim.err.duplicate_link": "Aller à ma réclamation",
        "claim.err.closed": "Cet incident n'accepte plus de réclamations. Votre réclamation n'a pas été enregistrée.",
        "claim.err.in_use": "Votre réclamation est encore en cours de traitement. Patientez un instant puis envoyez-la de nouveau" + NBSP + ": elle ne sera pas enregistrée deux fois.",
        "claim.err.network": "Le serveur est injoignable. Vos réponses sont conservées" + NBSP + ": envoyez de nouveau une fois la connexion rétablie. Vous ne créerez pas deux réclamations.",
        "claim.err.unavailable": "Le service est momentanément indisponible et votre réclamation n'a pas été enregistrée. Vos réponses sont conservées" + NBSP + ": réessayez dans {seconds}" + NBSP + "secondes.",
        "claim.err.rate_limited": "Trop de réclamations ont été envoyées depuis votre connexion. Vos réponses sont conservées" + NBSP + ": réessayez dans {seconds}" + NBSP + "secondes.",
        "claim.err.other": "Votre réclamation n'a pas pu être enregistrée (erreur {status}). Vos réponses sont conservées" + NBSP + "; veuillez réessayer plus tard.",

        "receipt.h2": "Votre réclamation est enregistrée",
        "receipt.reference": "Référence",
        "receipt.token": "Jeton",
        "receipt.keep": "Conservez dès maintenant ces deux éléments" + NBSP + ": le jeton n'est affiché qu'une seule fois. Ils sont nécessaires pour consulter, corriger ou retirer votre réclamation, et personne ne pourra vous renvoyer le jeton.",
        "receipt.copy": "Copier la référence et le jeton",
        "receipt.copied": "Copié. Collez-les en lieu sûr, par exemple dans un gestionnaire de mots de passe.",
        "receipt.copy_failed": "La copie a échoué" + NBSP + ": sélectionnez la référence et le jeton et copiez-les à la main.",
        "receipt.clipboard": "Réclamation recours\nRéférence" + NBSP + ": {reference}\nJeton" + NBSP + ": {token}\n",
        "receipt.print": "Imprimer cette page",
        "receipt.my_claim": "Voir ma réclamation",
        "receipt.status": "Statut" + NBSP + ": {status}.",

        "my.h1": "Ma réclamation",
        "my.intro": "Saisissez la référence et le jeton reçus lors du dépôt de votre réclamation. Le jeton reste dans cette page uniquement" + NBSP + ": il n'est jamais enregistré ni placé dans la barre d'adresse.",
        "f.reference": "Référence",
        "f.reference_hint": "Par exemple RC-7K3M-Q9XD.",
        "f.token": "Jeton",
        "f.token_hint": "Le code secret d'au moins 32" + NBSP + "caractères affiché une seule fois après votre réclamation.",
        "my.show_token": "Afficher le jeton",
        "my.open": "Voir ma réclamation",
        "my.opening": "Recherche de votre réclamation…",
        "my.not_found": "Référence ou jeton non reconnu. Vérifiez-les et réessayez.",
        "my.claim_h2": "Réclamation {reference}",
        "my.incident": "Incident",
        "my.status": "Statut",
        "my.reason": "Motif indiqué",
        "my.submitted": "Déposée le",
        "my.updated": "Modifiée le",
        "my.withdrawn_at": "Retirée le",
        "my.you_h3": "Vos coordonnées",
        "my.name": "Nom",
        "my.data_h3": "Données exposées",
        "my.harms_h3": "Ce que vous avez subi",
        "my.harm_loss": "Perte financière justifiable",
        "my.harm_hours": "Heures passées",
        "my.harm_description": "Description",
        "my.payment": "Indemnisation souhaitée",
        "my.mandate": "Action de groupe",
        "my.mandate_none": "Votre réclamation ne fait pas encore partie d'une action de groupe.",
        "my.mandate_yes": "Mandat donné le {date} (version du texte de mandat {version}).",
        "my.withdraw": "Retirer ma réclamation",
        "my.withdraw_h": "Retirer cette réclamation" + NBSP + "?",
        "my.withdraw_p": "Votre réclamation ne comptera plus et quittera toute action de groupe. C'est définitif" + NBSP + ": pour réclamer de nouveau, il faudrait déposer une nouvelle réclamation.",
        "my.withdraw_yes": "Oui, retirer ma réclamation",
        "my.withdraw_no": "Non, la garder",
        "my.withdrawing": "Retrait de votre réclamation…",
        "my.withdrawn_done": "Votre réclamation a été retirée. Vos données personnelles seront effacées à la fin de la durée de conservation.",
        "my.correct_h2": "Corriger vos coordonnées",
        "my.correct_hint": "Modifiez ce qui est inexact puis enregistrez. Laissez le téléphone ou le complément d'adresse vide pour les supprimer.",
        "my.correct_save": "Enregistrer les corrections",
        "my.correct_saving": "Enregistrement…",
        "my.correct_nothing": "Rien n'a changé.",
        "my.corrected": "Vos corrections sont enregistrées.",
        "my.correct_duplicate": "Ces coordonnées appartiennent déjà à une autre réclamation sur cet incident. Rien n'a été modifié.",
        "my.claim_withdrawn": "Cette réclamation a été retirée et ne peut plus être modifiée.",
        "my.close": "Fermer et oublier le jeton",
        "my.closed": "La réclamation est fermée et le jeton oublié par cette page.",

        "status.received": "Reçue",
        "status.verified": "Vérifiée",
        "status.rejected": "Rejetée",
        "status.withdrawn": "Retirée",
        "status.received_help": "Votre réclamation est enregistrée. Une association pourra la vérifier.",
        "status.verified_help": "Une association a vérifié votre réclamation.",
        "status.rejected_help": "Votre réclamation a été rejetée. Vous pouvez la corriger si le motif le permet.",
        "status.withdrawn_help": "Vous avez retiré cette réclamation. Elle ne compte plus.",

        "dash.h1": "Associations",
        "dash.intro": "Cette page s'adresse aux associations agréées qui représentent des victimes.",
        "dash.key_h2": "Votre clé d'API",
        "f.api_key": "Clé d'API",
        "f.api_key_hint": "Conservée dans la mémoire de cette page uniquement" + NBSP + ": elle est perdue si vous quittez ou rechargez la page, et n'est jamais enregistrée.",
        "dash.use_key": "Utiliser cette clé",
        "dash.forget_key": "Oublier la clé",
        "dash.key_kept": "La clé est conservée dans la mémoire de cette page. Rien n'est encore envoyé avec elle.",
        "dash.key_forgotten": "La clé a été oubliée.",
        "dash.coming": "Les actions de groupe, leurs membres, les synthèses d'indemnisation et les exports pour les avocats apparaîtront ici avec l'API des associations. En attendant, cette page liste les incidents ouverts aux réclamations.",
        "dash.col.controller": "Entreprise",
        "dash.col.incident": "Incident",
        "dash.col.disclosed": "Rendu public le",
        "dash.col.affected": "Personnes concernées",
        "dash.col.categories": "Données exposées",
        "dash.col.slug": "Identifiant",
        "dash.caption": "Incidents ouverts aux réclamations",

        "err.code.required": "Ce champ est nécessaire.",
        "err.code.unknown-field": "Ce champ n'est pas accepté.",
        "err.code.read-only": "Ceci ne peut pas être modifié.",
        "err.code.invalid-type": "Cette valeur n'a pas le bon type.",
        "err.code.invalid-format": "Le format n'est pas valide.",
        "err.code.invalid-value": "Cette valeur n'est pas acceptée.",
        "err.code.out-of-range": "Cette valeur sort des limites acceptées.",
        "err.code.too-long": "C'est trop long.",
        "err.code.too-short": "C'est trop court.",
        "err.code.duplicate-value": "Cette valeur est répétée.",
        "err.code.not-in-incident": "Ceci n'a pas été exposé dans cet incident.",
        "err.code.mismatch": "Cela ne correspond pas.",
        "err.code.sum-mismatch": "Les montants ne correspondent pas.",
        "err.code.unavailable": "Ceci n'est pas disponible.",
        "err.code.not-found": "Introuvable.",
        "err.code.immutable": "Ceci ne peut pas être modifié.",

        "err.claimant.given_name.required": "Saisissez votre prénom.",
        "err.claimant.given_name.too-long": "Saisissez au plus 100" + NBSP + "caractères.",
        "err.claimant.given_name.invalid-format": "Utilisez uniquement des lettres, des espaces et de la ponctuation.",
        "err.claimant.family_name.required": "Saisissez votre nom de famille.",
        "err.claimant.family_name.too-long": "Saisissez au plus 100" + NBSP + "caractères.",
        "err.claimant.family_name.invalid-format": "Utilisez uniquement des lettres, des espaces et de la ponctuation.",
        "err.claimant.email.required": "Saisissez votre adresse e-mail.",
        "err.claimant.email.invalid-format": "Saisissez une adresse e-mail comme nom@exemple.fr.",
        "err.claimant.email.too-long": "Saisissez au plus 254" + NBSP + "caractères.",
        "err.claimant.phone.invalid-format": "Saisissez un numéro avec l'indicatif du pays (+33 6 12 34 56 78) ou au format national du pays de votre adresse.",
        "err.claimant.phone.too-long": "Ce numéro de téléphone est trop long.",
        "err.claimant.birth_date.invalid-format": "Saisissez une date qui existe.",
        "err.claimant.birth_date.out-of-range": "Saisissez une date entre le 1er janvier 1900 et hier.",
        "err.claimant.address.line1.required": "Saisissez votre adresse.",
        "err.claimant.address.line1.too-long": "Saisissez au plus 200" + NBSP + "caractères.",
        "err.claimant.address.line2.too-long": "Saisissez au plus 200" + NBSP + "caractères.",
        "err.claimant.address.postal_code.required": "Saisissez votre code postal.",
        "err.claimant.address.postal_code.too-long": "Saisissez au plus 20" + NBSP + "caractères.",
        "err.claimant.address.city.required": "Saisissez votre ville.",
        "err.claimant.address.city.too-long": "Saisissez au plus 100" + NBSP + "caractères.",
        "err.claimant.address.country.required": "Choisissez votre pays.",
        "err.claimant.address.country.invalid-value": "Choisissez un pays dans la liste.",
        "err.data_categories.required": "Cochez au moins un type de données.",
        "err.data_categories.too-short": "Cochez au moins un type de données.",
        "err.data_categories.not-in-incident": "«" + NBSP + "{item}" + NBSP + "» n'a pas été exposé dans cet incident.",
        "err.data_categories.duplicate-value": "«" + NBSP + "{item}" + NBSP + "» est coché deux fois.",
        "err.data_categories.invalid-value": "«" + NBSP + "{item}" + NBSP + "» n'est pas un type de données connu.",
        "err.harms.documented_loss.invalid-format": "Saisissez un montant comme {example}.",
        "err.harms.documented_loss.out-of-range": "Saisissez un montant entre 0 et {max}.",
        "err.harms.documented_loss.invalid-type": "Saisissez un montant comme {example}.",
        "err.harms.hours_spent.invalid-format": "Saisissez un nombre entier d'heures.",
        "err.harms.hours_spent.invalid-type": "Saisissez un nombre entier d'heures.",
        "err.harms.hours_spent.out-of-range": "Saisissez un nombre entier d'heures entre 0 et 1000.",
        "err.harms.description.too-long": "Utilisez au plus 4000" + NBSP + "caractères.",
        "err.harms.description.invalid-format": "Utilisez du texte, des retours à la ligne et des tabulations uniquement.",
        "err.payment_preference.required": "Choisissez la forme d'indemnisation souhaitée.",
        "err.payment_preference.invalid-value": "Choisissez la forme d'indemnisation souhaitée.",
        "err.privacy_notice_version.required": "Vous devez accepter la notice de confidentialité pour déposer une réclamation.",
        "err.privacy_notice_version.mismatch": "La notice de confidentialité a changé" + NBSP + ": rechargez la page et relisez-la.",
        "err.reference.required": "Saisissez la référence de votre réclamation.",
        "err.reference.invalid-format": "Saisissez une référence comme RC-7K3M-Q9XD.",
        "err.token.required": "Saisissez le jeton de votre réclamation.",
        "err.token.invalid-format": "Le jeton compte au moins 32" + NBSP + "caractères" + NBSP + ": lettres, chiffres, - et _.",
        "err.api_key.required": "Saisissez une clé d'API.",
    },
};

export const LANGUAGES = ["fr", "en"];
const STORAGE_KEY = "recours.lang";

function storedLanguage() {
    try {
        const v = window.localStorage.getItem(STORAGE_KEY);
        return LANGUAGES.includes(v) ? v : null;
    } catch {
        return null; // storage disabled: fall back on the browser's language
    }
}

function browserLanguage() {
    const prefs = navigator.languages && navigator.languages.length ? navigator.languages
        : [navigator.language || "en"];
    for (const p of prefs) {
        const base = String(p).toLowerCase().split("-")[0];
        if (LANGUAGES.includes(base))
            return base;
    }
    return "en";
}

let current = storedLanguage() || browserLanguage();
const listeners = [];

export function lang() {
    return current;
}

// The locale for dates and numbers: the browser's own when it is of the page's language
// ("en-GB" writes 10 February 2026, "en-US" February 10, 2026), else the language itself.
export function locale() {
    const own = navigator.language || "";
    return own.toLowerCase().split("-")[0] === current ? own : current;
}

// t("key", {name: value}): the string of the current language, {name} replaced; an unknown
// key falls back on English, then on the key itself (visible, so that a gap is noticed).
export function t(key, params) {
    let s = messages[current][key];
    if (s === undefined)
        s = messages.en[key];
    if (s === undefined)
        return key;
    if (params)
        s = s.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
    return s;
}

export function has(key) {
    return key in messages[current] || key in messages.en;
}

export function languageName(code) {
    return messages[code]["lang.name"];
}

// Fills the marked elements under root: data-i18n="key" sets the text;
// data-i18n-attr="aria-label:key;placeholder:key" sets attributes.
export function applyI18n(root = document) {
    for (const el of root.querySelectorAll("[data-i18n]"))
        el.textContent = t(el.dataset.i18n);
    for (const el of root.querySelectorAll("[data-i18n-attr]")) {
        for (const pair of el.dataset.i18nAttr.split(";")) {
            const [attr, key] = pair.split(":").map((s) => s.trim());
            if (attr && key)
                el.setAttribute(attr, t(key));
        }
    }
}

// fn() is called after every change of language (the page re-renders its dynamic parts).
export function onLanguageChange(fn) {
    listeners.push(fn);
}

export function setLanguage(code) {
    if (!LANGUAGES.includes(code))
        return;
    current = code;
    try {
        window.localStorage.setItem(STORAGE_KEY, code);
    } catch {
        // not remembered; the choice still holds for this page
    }
    document.documentElement.lang = code;
    applyI18n();
    for (const fn of listeners)
        fn(code);
}
