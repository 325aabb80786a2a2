// The sentences of an access report the person reads (GDPR art. 15(1)(a)-(h), 15(2); art. 12(1): in clear and plain
// language), in the four languages campaign statements and recipient pages speak. Every language has every key (the
// type says so); `{name}` is replaced by a value.
import { usualLanguages } from '../domain/languages.js';
import { STATEMENT_LANGUAGES, type StatementLanguage } from './campaigns/statements.js';

const EN = {
  'basis.CONSENT': 'your consent (you may withdraw it at any time)',
  'basis.CLIENT_EXCEPTION': 'our legitimate interest in offering our clients products similar to those they bought',
  'basis.CONTRACT_IN_PROGRESS': 'our legitimate interest in offers related to your contract in progress',
  'basis.B2B_RELATED': 'our legitimate interest in offers related to your profession',
  'basis.LEGAL_PERSON': 'our legitimate interest in writing to a generic business address',
  'basis.OPT_OUT_REGIME': 'our legitimate interest in direct marketing, on a channel open unless you object',
  'basis.any':
    'your consent where the law requires it, otherwise our legitimate interest in direct marketing, to which you may object at any time',
  'basis.obligation': 'our legal obligations (proof of consent, honouring objections, answering your requests)',
  'purpose.prospecting': 'Sending you marketing messages ({purposes})',
  'purpose.prospecting.plain': 'Sending you marketing messages',
  'purpose.all': 'every purpose',
  'purpose.id.marketing': 'marketing messages',
  'purpose.id.newsletter': 'newsletter',
  'purpose.id.offers': 'offers',
  'purpose.partners': 'Passing your contact details to the partners you agreed to ({partners})',
  'purpose.compliance':
    'Checking before each message that it may be sent, keeping the proof of your consents and objections, honouring your objections and answering your requests',
  'recipient.partner': 'partner you agreed your data may be passed to',
  'recipient.processor': 'service provider acting on our behalf: {service}',
  'recipient.noProcessors':
    'Our service providers (processors) are not declared in this system: ask {contact} for their list.',
  'transfer.none': 'Your data is not transferred outside the European Economic Area.',
  'transfer.declared': 'Transferred to {recipient} ({country}), with these safeguards: {safeguards}.',
  'transfer.undeclared':
    '{recipient}, a service provider of ours, is in {country}, outside the European Economic Area; no safeguard for this transfer is declared in this system: ask {contact}.',
  'transfer.unknown':
    'Whether your data is transferred outside the European Economic Area is not declared in this system: ask {contact}.',
  'source.none': 'No collection of your data is recorded.',
  'source.direct': 'Collected from you on {date}{page}.',
  'source.form': 'Given by you on {date} on our form “{form}”{page}.',
  'source.page': ', page {page}',
  'source.acquired': 'Obtained on {date} from {provider}.',
  'source.acquiredList': 'Collected on {date} by {provider}, from whom we obtained them on {acquired}.',
  'source.acquiredVia': 'Collected on {date} by {provider}; we obtained them from {seller} on {acquired}.',
  'source.acquiredUnrecorded': 'Collected on {date} by {provider}.',
  'source.public': 'Collected on {date} from a publicly accessible source{provider}.',
  'source.other': 'Collected on {date} ({source}{provider}).',
  'suppressed.unrecorded':
    'Erased identifiers were put on our suppression list ({erasures}); which ones was not recorded at the time, and the identifiers themselves are gone: a hash cannot be turned back into them.',
  'suppressed.erasure': '{count} on {date}',
  'right.rectification': 'to have inaccurate data about you corrected, and incomplete data completed',
  'right.erasure': 'to have your data erased',
  'right.restriction': 'to have the processing of your data restricted (kept, but no longer used)',
  'right.objection': 'to object at any time to the use of your data for marketing, without giving a reason',
  'category.identifiers': 'Your contact details: {kinds}',
  'category.acts':
    'Your consents, refusals and objections, with when and how you gave them (page, IP address, browser)',
  'category.relationship': 'Your purchases, contracts and requests, as far as they decide what may be sent to you',
  'category.messages': 'The marketing messages sent to you, with when and on what legal basis',
  'kind.email': 'email address',
  'kind.phone': 'phone number',
  'kind.postal': 'postal address',
  'kind.external': 'customer number',
  automated:
    'No decision producing legal effects concerning you, or similarly significantly affecting you, is based solely on automated processing: a rules engine checks before each message whether the law allows it to be sent to you.',
  'right.portability':
    'to receive the data you gave us on your consent or for a contract in a machine-readable format, or have it sent to another company',
  'right.withdraw': 'to withdraw your consent at any time, without affecting what was done before',
  'right.how': 'To exercise them, write to {contact}.',
  'complaint.authority':
    'You have the right to lodge a complaint with a supervisory authority, in particular {authority} ({url}), the authority of the country where you live.',
  'complaint.any':
    'You have the right to lodge a complaint with a supervisory authority, in particular in the country where you live, work or where the infringement took place.',
  'contact.dpo': 'our data protection officer, {party}',
  'contact.controller': '{party}',
  'contact.unknown': 'the company that sent you its messages (its contact details are not declared in this system)',
  'missing.controller': 'The controller’s identity and contact details are not declared in this system.',
  'missing.dpo': 'No data protection officer is declared in this system.',
  'missing.processors': 'The service providers (processors) that process your data are not declared in this system.',
  'missing.transfers': 'Transfers of your data outside the European Economic Area are not declared in this system.',
  'retention.erased': 'Erased on {date}: no longer used for prospecting.',
  'retention.unreadable':
    'Your history could not be read ({message}): ask our data-protection officer how long your data is kept.',
  'retention.generic': 'This is a generic business address (not a person’s): no retention period applies to it.',
  'retention.noRule':
    'No fixed period in the rules applied to {jurisdiction}: the data is used while the prospecting lasts, and erased on request.',
  'retention.rule':
    'Used for prospecting for {years} years after your last active contact with us (a purchase, a consent, a reply), then no longer used and erased',
  'retention.usable': 'last active contact or collection of your details {last}, usable through {until}',
  'retention.usableFromRecord': 'no active contact recorded; first recorded {first}, usable through {until}',
  'retention.expired':
    'your last active contact, or the collection of your details, was on {last}, more than {years} years ago',
  'retention.expiredFromRecord':
    'no active contact from you since you were first recorded on {first}, more than {years} years ago',
  'retention.contract': 'a contract is in progress: the relationship is current',
  'retention.noDate': 'no dated active contact in your history',
  'retention.proof':
    'The record of each consent and objection is kept as proof after the rest is erased (GDPR art. 17(3)(e)).',
};

type Key = keyof typeof EN;

const FR: Record<Key, string> = {
  'basis.CONSENT': 'votre consentement (que vous pouvez retirer à tout moment)',
  'basis.CLIENT_EXCEPTION':
    'notre intérêt légitime à proposer à nos clients des produits analogues à ceux qu’ils ont achetés',
  'basis.CONTRACT_IN_PROGRESS': 'notre intérêt légitime à vous proposer des offres liées à votre contrat en cours',
  'basis.B2B_RELATED': 'notre intérêt légitime à vous proposer des offres liées à votre profession',
  'basis.LEGAL_PERSON': 'notre intérêt légitime à écrire à une adresse professionnelle générique',
  'basis.OPT_OUT_REGIME':
    'notre intérêt légitime à la prospection, sur un canal ouvert tant que vous ne vous y opposez pas',
  'basis.any':
    'votre consentement lorsque la loi l’exige, sinon notre intérêt légitime à la prospection, auquel vous pouvez vous opposer à tout moment',
  'basis.obligation':
    'nos obligations légales (preuve du consentement, respect des oppositions, réponse à vos demandes)',
  'purpose.prospecting': 'Vous adresser des messages de prospection ({purposes})',
  'purpose.prospecting.plain': 'Vous adresser des messages de prospection',
  'purpose.all': 'toutes finalités',
  'purpose.id.marketing': 'messages de prospection',
  'purpose.id.newsletter': 'lettre d’information',
  'purpose.id.offers': 'offres',
  'purpose.partners': 'Transmettre vos coordonnées aux partenaires que vous avez acceptés ({partners})',
  'purpose.compliance':
    'Vérifier avant chaque message qu’il peut être envoyé, conserver la preuve de vos consentements et oppositions, respecter vos oppositions et répondre à vos demandes',
  'recipient.partner': 'partenaire auquel vous avez accepté que vos données soient transmises',
  'recipient.processor': 'prestataire agissant pour notre compte (sous-traitant) : {service}',
  'recipient.noProcessors':
    'Nos prestataires (sous-traitants) ne sont pas déclarés dans ce système : demandez-en la liste à {contact}.',
  'transfer.none': 'Vos données ne sont pas transférées hors de l’Espace économique européen.',
  'transfer.declared': 'Transférées à {recipient} ({country}), avec ces garanties : {safeguards}.',
  'transfer.undeclared':
    '{recipient}, l’un de nos prestataires, est situé en dehors de l’Espace économique européen ({country}) ; aucune garantie pour ce transfert n’est déclarée dans ce système : adressez-vous à {contact}.',
  'transfer.unknown':
    'Les transferts de vos données hors de l’Espace économique européen ne sont pas déclarés dans ce système : adressez-vous à {contact}.',
  'source.none': 'Aucune collecte de vos données n’est enregistrée.',
  'source.direct': 'Collectées auprès de vous le {date}{page}.',
  'source.form': 'Fournies par vous le {date} sur notre formulaire « {form} »{page}.',
  'source.page': ', page {page}',
  'source.acquired': 'Obtenues le {date} auprès de {provider}.',
  'source.acquiredList': 'Collectées le {date} par {provider}, auprès de qui nous les avons obtenues le {acquired}.',
  'source.acquiredVia':
    'Collectées le {date} par {provider} ; nous les avons obtenues auprès de {seller} le {acquired}.',
  'source.acquiredUnrecorded': 'Collectées le {date} par {provider}.',
  'source.public': 'Collectées le {date} à partir d’une source accessible au public{provider}.',
  'source.other': 'Collectées le {date} ({source}{provider}).',
  'suppressed.unrecorded':
    'Des identifiants effacés ont été inscrits sur notre liste d’exclusion ({erasures}) ; lesquels n’a pas été enregistré à l’époque, et les identifiants eux-mêmes ont disparu : une empreinte ne permet pas de les retrouver.',
  'suppressed.erasure': '{count} le {date}',
  'right.rectification': 'faire rectifier les données inexactes vous concernant, et compléter les données incomplètes',
  'right.erasure': 'obtenir l’effacement de vos données',
  'right.restriction': 'obtenir la limitation du traitement de vos données (conservées, mais plus utilisées)',
  'right.objection': 'vous opposer à tout moment, sans motif, à l’utilisation de vos données pour la prospection',
  'category.identifiers': 'Vos coordonnées : {kinds}',
  'category.acts':
    'Vos consentements, refus et oppositions, avec la date et la manière dont vous les avez exprimés (page, adresse IP, navigateur)',
  'category.relationship':
    'Vos achats, contrats et demandes, dans la mesure où ils décident de ce qui peut vous être envoyé',
  'category.messages': 'Les messages de prospection qui vous ont été envoyés, avec leur date et leur base légale',
  'kind.email': 'adresse électronique',
  'kind.phone': 'numéro de téléphone',
  'kind.postal': 'adresse postale',
  'kind.external': 'numéro de client',
  automated:
    'Aucune décision produisant des effets juridiques vous concernant ou vous affectant de manière significative n’est fondée exclusivement sur un traitement automatisé : un moteur de règles vérifie avant chaque message que la loi permet de vous l’envoyer.',
  'right.portability':
    'recevoir les données que vous nous avez fournies sur la base de votre consentement ou d’un contrat dans un format lisible par machine, ou les faire transmettre à une autre entreprise',
  'right.withdraw': 'retirer votre consentement à tout moment, sans remettre en cause ce qui a été fait avant',
  'right.how': 'Pour les exercer, écrivez à {contact}.',
  'complaint.authority':
    'Vous avez le droit d’introduire une réclamation auprès d’une autorité de contrôle, notamment {authority} ({url}), l’autorité du pays où vous résidez.',
  'complaint.any':
    'Vous avez le droit d’introduire une réclamation auprès d’une autorité de contrôle, notamment dans le pays où vous résidez, travaillez ou où la violation a eu lieu.',
  'contact.dpo': 'notre délégué à la protection des données, {party}',
  'contact.controller': '{party}',
  'contact.unknown':
    'l’entreprise qui vous a adressé ses messages (ses coordonnées ne sont pas déclarées dans ce système)',
  'missing.controller':
    'L’identité et les coordonnées du responsable du traitement ne sont pas déclarées dans ce système.',
  'missing.dpo': 'Aucun délégué à la protection des données n’est déclaré dans ce système.',
  'missing.processors':
    'Les prestataires (sous-traitants) qui traitent vos données ne sont pas déclarés dans ce système.',
  'missing.transfers':
    'Les transferts de vos données hors de l’Espace économique européen ne sont pas déclarés dans ce système.',
  'retention.erased': 'Effacées le {date} : plus utilisées pour la prospection.',
  'retention.unreadable':
    'Votre historique n’a pas pu être lu ({message}) : demandez à notre délégué à la protection des données combien de temps vos données sont conservées.',
  'retention.generic':
    'Il s’agit d’une adresse professionnelle générique (pas celle d’une personne) : aucune durée de conservation ne s’y applique.',
  'retention.noRule':
    'Aucune durée fixe dans les règles appliquées à {jurisdiction} : les données sont utilisées tant que dure la prospection, et effacées sur demande.',
  'retention.rule':
    'Utilisées pour la prospection pendant {years} ans après votre dernier contact actif avec nous (un achat, un consentement, une réponse), puis plus utilisées et effacées',
  'retention.usable': 'dernier contact actif ou collecte de vos données le {last}, utilisables jusqu’au {until} inclus',
  'retention.usableFromRecord':
    'aucun contact actif enregistré ; enregistrées pour la première fois le {first}, utilisables jusqu’au {until} inclus',
  'retention.expired':
    'votre dernier contact actif, ou la collecte de vos données, date du {last}, il y a plus de {years} ans',
  'retention.expiredFromRecord':
    'aucun contact actif de votre part depuis votre premier enregistrement le {first}, il y a plus de {years} ans',
  'retention.contract': 'un contrat est en cours : la relation est actuelle',
  'retention.noDate': 'aucun contact actif daté dans votre historique',
  'retention.proof':
    'La trace de chaque consentement et de chaque opposition est conservée comme preuve après l’effacement du reste (RGPD art. 17(3)(e)).',
};

const NL: Record<Key, string> = {
  'basis.CONSENT': 'uw toestemming (die u altijd kunt intrekken)',
  'basis.CLIENT_EXCEPTION':
    'ons gerechtvaardigd belang om onze klanten producten aan te bieden die lijken op wat zij kochten',
  'basis.CONTRACT_IN_PROGRESS': 'ons gerechtvaardigd belang bij aanbiedingen die bij uw lopende overeenkomst horen',
  'basis.B2B_RELATED': 'ons gerechtvaardigd belang bij aanbiedingen die met uw beroep te maken hebben',
  'basis.LEGAL_PERSON': 'ons gerechtvaardigd belang om naar een algemeen zakelijk adres te schrijven',
  'basis.OPT_OUT_REGIME':
    'ons gerechtvaardigd belang bij direct marketing, via een kanaal dat open is tenzij u bezwaar maakt',
  'basis.any':
    'uw toestemming waar de wet die vraagt, anders ons gerechtvaardigd belang bij direct marketing, waartegen u altijd bezwaar kunt maken',
  'basis.obligation':
    'onze wettelijke verplichtingen (bewijs van toestemming, naleven van bezwaren, beantwoorden van uw verzoeken)',
  'purpose.prospecting': 'U marketingberichten sturen ({purposes})',
  'purpose.prospecting.plain': 'U marketingberichten sturen',
  'purpose.all': 'alle doeleinden',
  'purpose.id.marketing': 'marketingberichten',
  'purpose.id.newsletter': 'nieuwsbrief',
  'purpose.id.offers': 'aanbiedingen',
  'purpose.partners': 'Uw contactgegevens doorgeven aan de partners waarmee u instemde ({partners})',
  'purpose.compliance':
    'Voor elk bericht nagaan of het verstuurd mag worden, het bewijs van uw toestemmingen en bezwaren bewaren, uw bezwaren naleven en uw verzoeken beantwoorden',
  'recipient.partner': 'partner aan wie u toestond uw gegevens door te geven',
  'recipient.processor': 'dienstverlener die namens ons handelt (verwerker): {service}',
  'recipient.noProcessors':
    'Onze dienstverleners (verwerkers) zijn niet in dit systeem vermeld: vraag de lijst aan {contact}.',
  'transfer.none': 'Uw gegevens worden niet buiten de Europese Economische Ruimte doorgegeven.',
  'transfer.declared': 'Doorgegeven aan {recipient} ({country}), met deze waarborgen: {safeguards}.',
  'transfer.undeclared':
    '{recipient}, een van onze dienstverleners, bevindt zich in {country}, buiten de Europese Economische Ruimte; voor deze doorgifte is in dit systeem geen waarborg vermeld: vraag het aan {contact}.',
  'transfer.unknown':
    'Of uw gegevens buiten de Europese Economische Ruimte worden doorgegeven, is niet in dit systeem vermeld: vraag het aan {contact}.',
  'source.none': 'Er is geen verzameling van uw gegevens geregistreerd.',
  'source.direct': 'Bij u verzameld op {date}{page}.',
  'source.form': 'Door u verstrekt op {date} via ons formulier “{form}”{page}.',
  'source.page': ', pagina {page}',
  'source.acquired': 'Verkregen op {date} van {provider}.',
  'source.acquiredList': 'Verzameld op {date} door {provider}, van wie wij ze op {acquired} hebben verkregen.',
  'source.acquiredVia': 'Verzameld op {date} door {provider}; wij hebben ze op {acquired} verkregen van {seller}.',
  'source.acquiredUnrecorded': 'Verzameld op {date} door {provider}.',
  'source.public': 'Verzameld op {date} uit een openbaar toegankelijke bron{provider}.',
  'source.other': 'Verzameld op {date} ({source}{provider}).',
  'suppressed.unrecorded':
    'Gewiste gegevens zijn op onze uitsluitingslijst gezet ({erasures}); welke werd toen niet vastgelegd, en de gegevens zelf zijn verdwenen: een hash kan niet worden teruggerekend.',
  'suppressed.erasure': '{count} op {date}',
  'right.rectification': 'onjuiste gegevens over u te laten verbeteren en onvolledige te laten aanvullen',
  'right.erasure': 'uw gegevens te laten wissen',
  'right.restriction': 'de verwerking van uw gegevens te laten beperken (bewaard, maar niet meer gebruikt)',
  'right.objection': 'altijd, zonder reden, bezwaar te maken tegen het gebruik van uw gegevens voor marketing',
  'category.identifiers': 'Uw contactgegevens: {kinds}',
  'category.acts': 'Uw toestemmingen, weigeringen en bezwaren, met wanneer en hoe u ze gaf (pagina, IP-adres, browser)',
  'category.relationship': 'Uw aankopen, overeenkomsten en verzoeken, voor zover die bepalen wat u mag worden gestuurd',
  'category.messages': 'De marketingberichten die u zijn gestuurd, met wanneer en op welke rechtsgrond',
  'kind.email': 'e-mailadres',
  'kind.phone': 'telefoonnummer',
  'kind.postal': 'postadres',
  'kind.external': 'klantnummer',
  automated:
    'Er wordt geen besluit met rechtsgevolgen voor u, of dat u in aanmerkelijke mate treft, uitsluitend op geautomatiseerde verwerking gebaseerd: een regelsysteem controleert vóór elk bericht of de wet toestaat het u te sturen.',
  'right.portability':
    'de gegevens die u ons op basis van uw toestemming of een overeenkomst gaf in een machineleesbaar formaat te ontvangen, of aan een ander bedrijf te laten doorgeven',
  'right.withdraw': 'uw toestemming altijd in te trekken, zonder gevolgen voor wat eerder gebeurde',
  'right.how': 'Schrijf daarvoor aan {contact}.',
  'complaint.authority':
    'U hebt het recht een klacht in te dienen bij een toezichthoudende autoriteit, met name {authority} ({url}), de autoriteit van het land waar u woont.',
  'complaint.any':
    'U hebt het recht een klacht in te dienen bij een toezichthoudende autoriteit, met name in het land waar u woont, werkt of waar de inbreuk plaatsvond.',
  'contact.dpo': 'onze functionaris voor gegevensbescherming, {party}',
  'contact.controller': '{party}',
  'contact.unknown': 'het bedrijf dat u zijn berichten stuurde (zijn contactgegevens zijn niet in dit systeem vermeld)',
  'missing.controller':
    'De identiteit en contactgegevens van de verwerkingsverantwoordelijke zijn niet in dit systeem vermeld.',
  'missing.dpo': 'Er is geen functionaris voor gegevensbescherming in dit systeem vermeld.',
  'missing.processors': 'De dienstverleners (verwerkers) die uw gegevens verwerken, zijn niet in dit systeem vermeld.',
  'missing.transfers':
    'Doorgiften van uw gegevens buiten de Europese Economische Ruimte zijn niet in dit systeem vermeld.',
  'retention.erased': 'Gewist op {date}: niet meer gebruikt voor marketing.',
  'retention.unreadable':
    'Uw geschiedenis kon niet worden gelezen ({message}): vraag onze functionaris voor gegevensbescherming hoe lang uw gegevens worden bewaard.',
  'retention.generic': 'Dit is een algemeen zakelijk adres (niet van een persoon): er geldt geen bewaartermijn.',
  'retention.noRule':
    'Geen vaste termijn in de regels voor {jurisdiction}: de gegevens worden gebruikt zolang de marketing duurt, en op verzoek gewist.',
  'retention.rule':
    'Gebruikt voor marketing gedurende {years} jaar na uw laatste actieve contact met ons (een aankoop, een toestemming, een antwoord), daarna niet meer gebruikt en gewist',
  'retention.usable': 'laatste actieve contact of verzameling van uw gegevens {last}, bruikbaar tot en met {until}',
  'retention.usableFromRecord':
    'geen actief contact geregistreerd; voor het eerst geregistreerd {first}, bruikbaar tot en met {until}',
  'retention.expired':
    'uw laatste actieve contact, of de verzameling van uw gegevens, was op {last}, meer dan {years} jaar geleden',
  'retention.expiredFromRecord':
    'geen actief contact van u sinds uw eerste registratie op {first}, meer dan {years} jaar geleden',
  'retention.contract': 'er loopt een overeenkomst: de relatie is actueel',
  'retention.noDate': 'geen gedateerd actief contact in uw geschiedenis',
  'retention.proof':
    'Het bewijs van elke toestemming en elk bezwaar wordt bewaard nadat de rest is gewist (AVG art. 17(3)(e)).',
};

const DE: Record<Key, string> = {
  'basis.CONSENT': 'Ihre Einwilligung (die Sie jederzeit widerrufen können)',
  'basis.CLIENT_EXCEPTION':
    'unser berechtigtes Interesse, unseren Kunden ähnliche Produkte wie die gekauften anzubieten',
  'basis.CONTRACT_IN_PROGRESS': 'unser berechtigtes Interesse an Angeboten zu Ihrem laufenden Vertrag',
  'basis.B2B_RELATED': 'unser berechtigtes Interesse an Angeboten zu Ihrer beruflichen Tätigkeit',
  'basis.LEGAL_PERSON': 'unser berechtigtes Interesse, an eine allgemeine Geschäftsadresse zu schreiben',
  'basis.OPT_OUT_REGIME':
    'unser berechtigtes Interesse an Direktwerbung, auf einem Kanal, der offen ist, solange Sie nicht widersprechen',
  'basis.any':
    'Ihre Einwilligung, wo das Gesetz sie verlangt, sonst unser berechtigtes Interesse an Direktwerbung, dem Sie jederzeit widersprechen können',
  'basis.obligation':
    'unsere rechtlichen Pflichten (Nachweis der Einwilligung, Beachtung von Widersprüchen, Beantwortung Ihrer Anträge)',
  'purpose.prospecting': 'Ihnen Werbenachrichten senden ({purposes})',
  'purpose.prospecting.plain': 'Ihnen Werbenachrichten senden',
  'purpose.all': 'alle Zwecke',
  'purpose.id.marketing': 'Werbung',
  'purpose.id.newsletter': 'Newsletter',
  'purpose.id.offers': 'Angebote',
  'purpose.partners': 'Ihre Kontaktdaten an die Partner weitergeben, denen Sie zugestimmt haben ({partners})',
  'purpose.compliance':
    'Vor jeder Nachricht prüfen, ob sie gesendet werden darf, den Nachweis Ihrer Einwilligungen und Widersprüche aufbewahren, Ihre Widersprüche beachten und Ihre Anträge beantworten',
  'recipient.partner': 'Partner, an den Ihre Daten mit Ihrer Zustimmung weitergegeben werden dürfen',
  'recipient.processor': 'Dienstleister in unserem Auftrag (Auftragsverarbeiter): {service}',
  'recipient.noProcessors':
    'Unsere Dienstleister (Auftragsverarbeiter) sind in diesem System nicht angegeben: fragen Sie {contact} nach der Liste.',
  'transfer.none': 'Ihre Daten werden nicht außerhalb des Europäischen Wirtschaftsraums übermittelt.',
  'transfer.declared': 'Übermittelt an {recipient} ({country}), mit diesen Garantien: {safeguards}.',
  'transfer.undeclared':
    '{recipient}, einer unserer Dienstleister, sitzt in {country}, außerhalb des Europäischen Wirtschaftsraums; für diese Übermittlung ist in diesem System keine Garantie angegeben: fragen Sie {contact}.',
  'transfer.unknown':
    'Ob Ihre Daten außerhalb des Europäischen Wirtschaftsraums übermittelt werden, ist in diesem System nicht angegeben: fragen Sie {contact}.',
  'source.none': 'Es ist keine Erhebung Ihrer Daten verzeichnet.',
  'source.direct': 'Bei Ihnen erhoben am {date}{page}.',
  'source.form': 'Von Ihnen angegeben am {date} in unserem Formular „{form}“{page}.',
  'source.page': ', Seite {page}',
  'source.acquired': 'Erhalten am {date} von {provider}.',
  'source.acquiredList': 'Am {date} von {provider} erhoben, von dem wir sie am {acquired} erhalten haben.',
  'source.acquiredVia': 'Am {date} von {provider} erhoben; wir haben sie am {acquired} von {seller} erhalten.',
  'source.acquiredUnrecorded': 'Am {date} von {provider} erhoben.',
  'source.public': 'Erhoben am {date} aus einer öffentlich zugänglichen Quelle{provider}.',
  'source.other': 'Erhoben am {date} ({source}{provider}).',
  'suppressed.unrecorded':
    'Gelöschte Kennungen wurden auf unsere Sperrliste gesetzt ({erasures}); welche, wurde damals nicht festgehalten, und die Kennungen selbst sind gelöscht: ein Hash lässt sich nicht zurückrechnen.',
  'suppressed.erasure': '{count} am {date}',
  'right.rectification': 'unrichtige Daten über Sie berichtigen und unvollständige vervollständigen zu lassen',
  'right.erasure': 'die Löschung Ihrer Daten zu verlangen',
  'right.restriction':
    'die Einschränkung der Verarbeitung Ihrer Daten zu verlangen (gespeichert, aber nicht mehr genutzt)',
  'right.objection': 'der Nutzung Ihrer Daten für Werbung jederzeit ohne Angabe von Gründen zu widersprechen',
  'category.identifiers': 'Ihre Kontaktdaten: {kinds}',
  'category.acts':
    'Ihre Einwilligungen, Ablehnungen und Widersprüche, mit Zeitpunkt und Art (Seite, IP-Adresse, Browser)',
  'category.relationship': 'Ihre Käufe, Verträge und Anfragen, soweit sie bestimmen, was Ihnen gesendet werden darf',
  'category.messages': 'Die Ihnen gesendeten Werbenachrichten, mit Zeitpunkt und Rechtsgrundlage',
  'kind.email': 'E-Mail-Adresse',
  'kind.phone': 'Telefonnummer',
  'kind.postal': 'Postanschrift',
  'kind.external': 'Kundennummer',
  automated:
    'Keine Entscheidung, die Ihnen gegenüber rechtliche Wirkung entfaltet oder Sie in ähnlicher Weise erheblich beeinträchtigt, beruht ausschließlich auf einer automatisierten Verarbeitung: ein Regelwerk prüft vor jeder Nachricht, ob das Gesetz erlaubt, sie Ihnen zu senden.',
  'right.portability':
    'die Daten, die Sie uns auf Grund Ihrer Einwilligung oder eines Vertrags gegeben haben, in einem maschinenlesbaren Format zu erhalten oder an ein anderes Unternehmen übermitteln zu lassen',
  'right.withdraw': 'Ihre Einwilligung jederzeit zu widerrufen, ohne dass das zuvor Geschehene berührt wird',
  'right.how': 'Schreiben Sie dazu an {contact}.',
  'complaint.authority':
    'Sie haben das Recht, sich bei einer Aufsichtsbehörde zu beschweren, insbesondere bei {authority} ({url}), der Behörde des Landes, in dem Sie wohnen.',
  'complaint.any':
    'Sie haben das Recht, sich bei einer Aufsichtsbehörde zu beschweren, insbesondere in dem Land, in dem Sie wohnen, arbeiten oder in dem der Verstoß stattfand.',
  'contact.dpo': 'unseren Datenschutzbeauftragten, {party}',
  'contact.controller': '{party}',
  'contact.unknown':
    'das Unternehmen, das Ihnen seine Nachrichten sandte (seine Kontaktdaten sind in diesem System nicht angegeben)',
  'missing.controller': 'Name und Kontaktdaten des Verantwortlichen sind in diesem System nicht angegeben.',
  'missing.dpo': 'In diesem System ist kein Datenschutzbeauftragter angegeben.',
  'missing.processors':
    'Die Dienstleister (Auftragsverarbeiter), die Ihre Daten verarbeiten, sind in diesem System nicht angegeben.',
  'missing.transfers':
    'Übermittlungen Ihrer Daten außerhalb des Europäischen Wirtschaftsraums sind in diesem System nicht angegeben.',
  'retention.erased': 'Gelöscht am {date}: nicht mehr für Werbung genutzt.',
  'retention.unreadable':
    'Ihr Verlauf konnte nicht gelesen werden ({message}): fragen Sie unseren Datenschutzbeauftragten, wie lange Ihre Daten gespeichert werden.',
  'retention.generic':
    'Dies ist eine allgemeine Geschäftsadresse (nicht die einer Person): es gilt keine Speicherfrist.',
  'retention.noRule':
    'Keine feste Frist in den für {jurisdiction} geltenden Regeln: die Daten werden genutzt, solange die Werbung dauert, und auf Antrag gelöscht.',
  'retention.rule':
    'Für Werbung genutzt bis {years} Jahre nach Ihrem letzten aktiven Kontakt mit uns (ein Kauf, eine Einwilligung, eine Antwort), danach nicht mehr genutzt und gelöscht',
  'retention.usable': 'letzter aktiver Kontakt oder Erhebung Ihrer Daten {last}, nutzbar bis einschließlich {until}',
  'retention.usableFromRecord':
    'kein aktiver Kontakt verzeichnet; erstmals erfasst {first}, nutzbar bis einschließlich {until}',
  'retention.expired':
    'Ihr letzter aktiver Kontakt oder die Erhebung Ihrer Daten war am {last}, vor mehr als {years} Jahren',
  'retention.expiredFromRecord':
    'kein aktiver Kontakt von Ihnen seit Ihrer ersten Erfassung am {first}, vor mehr als {years} Jahren',
  'retention.contract': 'ein Vertrag läuft: die Beziehung ist aktuell',
  'retention.noDate': 'kein datierter aktiver Kontakt in Ihrem Verlauf',
  'retention.proof':
    'Der Nachweis jeder Einwilligung und jedes Widerspruchs wird nach der Löschung des Übrigen aufbewahrt (DSGVO Art. 17(3)(e)).',
};

const WORDING: Record<StatementLanguage, Record<Key, string>> = { en: EN, fr: FR, nl: NL, de: DE };

export type WordingKey = Key;

/** The sentence `key` in `lang`, with `{name}` replaced. */
export function say(lang: StatementLanguage, key: Key, vars: Readonly<Record<string, string | number>> = {}): string {
  return WORDING[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => String(vars[name] ?? whole));
}

/**
 * The language of the person's report: the one asked for, else the language of the last consent text they were
 * shown or of their last double opt-in (what they read when they gave their data), else their jurisdiction's, else
 * English.
 */
export function reportLanguage(o: {
  asked?: string | undefined;
  seen: readonly string[];
  jurisdiction: string;
}): StatementLanguage {
  const known = (l: string | undefined): l is StatementLanguage =>
    l !== undefined && (STATEMENT_LANGUAGES as readonly string[]).includes(l);
  const asked = o.asked?.toLowerCase().split('-')[0];
  if (known(asked)) return asked;
  for (let i = o.seen.length - 1; i >= 0; i--) {
    const l = o.seen[i]?.toLowerCase().split('-')[0];
    if (known(l)) return l;
  }
  // Their jurisdiction's usual languages, the most common first (BE, CH, LU: French or German is one).
  return usualLanguages(o.jurisdiction)?.find(known) ?? 'en';
}

/**
 * The data protection authority a person of this jurisdiction complains to (GDPR art. 77; CH: the FADP's FDPIC, GB:
 * the UK GDPR's ICO); null where none is known (the person may still complain where they live or work). DE: the
 * authority of the person's Land supervises companies; the federal one points to it.
 */
export const SUPERVISORY_AUTHORITIES: Readonly<Record<string, { name: string; url: string }>> = {
  FR: { name: 'CNIL (Commission nationale de l’informatique et des libertés)', url: 'https://www.cnil.fr' },
  DE: {
    name: 'die Datenschutz-Aufsichtsbehörde Ihres Bundeslandes',
    url: 'https://www.datenschutzkonferenz-online.de/datenschutzaufsichtsbehoerden.html',
  },
  AT: { name: 'Datenschutzbehörde (DSB)', url: 'https://www.dsb.gv.at' },
  CH: {
    name: 'EDÖB / PFPDT (Eidgenössischer Datenschutz- und Öffentlichkeitsbeauftragter)',
    url: 'https://www.edoeb.admin.ch',
  },
  BE: {
    name: 'Autorité de protection des données / Gegevensbeschermingsautoriteit',
    url: 'https://www.autoriteprotectiondonnees.be',
  },
  NL: { name: 'Autoriteit Persoonsgegevens', url: 'https://www.autoriteitpersoonsgegevens.nl' },
  LU: { name: 'CNPD (Commission nationale pour la protection des données)', url: 'https://cnpd.public.lu' },
  ES: { name: 'Agencia Española de Protección de Datos (AEPD)', url: 'https://www.aepd.es' },
  IT: { name: 'Garante per la protezione dei dati personali', url: 'https://www.garanteprivacy.it' },
  IE: { name: 'Data Protection Commission', url: 'https://www.dataprotection.ie' },
  GB: { name: 'Information Commissioner’s Office (ICO)', url: 'https://ico.org.uk' },
};
