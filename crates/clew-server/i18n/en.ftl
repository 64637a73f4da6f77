# The web application's messages in English. Every id here must exist in ko.ftl and ru.ftl (the build
# checks). Variables ($name) are the same in all three files (a test checks).

## Layout
nav-label = Main
nav-dashboard = Dashboard
nav-entities = Entities
nav-log = Custody log
language-label = Language
account-password = Change password
sign-out = Sign out
footer-protected = Witnesses' identities are sealed for the custodians and never shown here: a custodian opens them on their own computer with the clew command line.
back-home = Back to the dashboard
page-next = Next page
page-older = Older events

## Roles
role-admin = admin
role-custodian = custodian
role-coder = coder
role-analyst = analyst
role-viewer = viewer

## Errors
error-title = Something went wrong
error-internal = Something failed inside clew. Nothing you did caused it.
error-request-id = If it happens again, give your administrator this request id: { $id }
error-invalid = The request was not accepted:
error-not-found = Not found:
error-unauthenticated = You are not signed in, or your session ended:
error-forbidden = Your role does not allow this.
error-busy = The project is busy; nothing was written. Try again in a moment.
error-conflict = This contradicts what the project holds:
error-rate-limited = Too many attempts.
error-rate-limited-for = Too many failed sign-ins. Try again in { $minutes } minutes.
error-too-large = The request is too large.
error-timeout = The server took too long to answer; try again.
error-page-not-found = There is no such page.
error-method = This page does not take that kind of request.
error-malformed = The request could not be read: a form field or parameter is malformed.
error-foreign-form = This form did not come from clew's own pages, so it was refused and nothing was changed. Open the page again and send the form from there.
error-sign-in-first = Sign in first.
error-change-password-first = Change your one-time password first.

## Signing in
sign-in-title = Sign in
sign-in = Sign in
sign-in-name = Account name
sign-in-password = Password
sign-in-code = Code from your authenticator app
sign-in-code-hint = Admins and custodians only: the six digits your app shows now.
sign-in-missing = Enter your account name and password.
sign-in-refused = The account name, password or code is wrong, or the account is disabled.

## Password
password-temporary = You signed in with a one-time password. Choose your own before you go on.
password-current = Current password
password-new = New password
password-rule = At least { $min } characters, and not the current one.
password-repeat = New password again
password-change = Change password
password-needs-session = A password is changed from a signed-in browser, not with an API token.
password-mismatch = The two new passwords differ.
password-refused = The new password is too short, too long or the same as the current one.
password-wrong = The current password is wrong.

## Dashboard
dashboard-title = Dashboard
dashboard-counts = What the project holds
dashboard-entities-by-schema = Entities by kind
dashboard-recent-events = Recent custody events
dashboard-whole-log = The whole custody log
count-testimonies = { $count ->
    [one] { $count } testimony
   *[other] { $count } testimonies
}
count-testimonies-label = Testimonies
count-entities-label = Entities
count-statements-label = Statements
count-segments-label = Narrative segments
synthetic-notice = This project holds synthetic demonstration data: every person, company and testimony in it is invented.

## Schemata
schema-person = Person
schema-company = Company
schema-public-body = Public body
schema-worksite = Worksite

## Tables
column-schema = Kind
column-count = Number
column-name = Name
column-when = When
column-who = Who
column-what = What
column-detail = Detail
column-property = Property
column-value = Value
column-sources = Sources saying it
column-evidence = Evidence

## Entities
entities-title = Entities
entities-all = All
entities-none = No entities to show.
entity-schema-conflicts = Its sources disagree on what it is:
protected-notice = Only statements your role may read are shown. Protected data is never shown by the server.

## Custody log
log-title = Custody log
log-intro = Every change to the project, every sign-in and every export, newest first. Each event is chained into a tamper-evident log that `clew verify` checks.

## Map
nav-map = Map
map-title = Map of worksites and accommodation
map-intro = Places whose coordinates the project holds. Select a point to open its page.
map-places = places here: { $n }
map-worksite = worksite
map-accommodation = accommodation
map-other = other place
map-mixed = places of several kinds
map-outside = Not on the map (outside the region it shows):
map-none = No place you may see has coordinates.
map-list = The places on the map
map-source = Base map: Natural Earth (public domain), shipped with clew; nothing is fetched from the internet.

## Verification
nav-verify = Verify
verify-title = Verify the custody log
verify-intro = Recomputes every custody event, the statements, records and protected blocks each write committed to, every attachment's sealed file and every kept list, as `clew verify` does. Attachments' contents are checked only with a custodian key, on the custodian's own computer.
verify-never = No verification has run since the server started.
verify-running = Started by { $who }, { $seconds } seconds ago.
verify-step-events = Custody events read: { $count }.
verify-step-records = Recomputing what each write committed to.
verify-step-attachments = Checking attachments.
verify-step-lists = Checking judgements and kept lists.
verify-clean = Everything checks out ({ $events } events; run by { $who }, finished { $when }).
verify-problems = { $count } problems found (run by { $who }, finished { $when }):
verify-tree-head = Tree head
verify-attachments = Attachments checked
verify-open-to-others = { $count } files or folders of the project can be read or written by others on the server's computer; run `clew verify` there for the details.
verify-failed = The verification started by { $who } could not finish:
verify-start = Verify now

## Testimonies
nav-testimonies = Testimonies
testimonies-title = Testimonies
testimonies-found = { $count ->
    [one] { $count } testimony matches.
   *[other] { $count } testimonies match.
}
facet-sector = Sector
facet-region = Region
facet-year = Year
facet-visa = Visa channel
facet-outcome = Outcome
facet-coder = Coder
filter-any = any
filter-apply = Filter
filter-clear = Clear the filters
column-interview = Interview
testimony-language = Language of the interview
testimony-imported = Imported
testimony-withdrawn = Consent withdrawn
testimony-segments = The witness's words, and what was coded from them
testimony-apart = Facts citing no segment
segment-original = Original
segment-translation = Translation
segment-coded = Coded from it
segment-hidden = The witness's words are not shown to your role.
statement-superseded = replaced by { $who } on { $when }
fact-add = Add a fact
fact-correct = Correct
fact-entity = Entity id
fact-schema = Kind (for a new entity)
fact-schema-hint = Person, Company, Worksite... Leave empty for an entity that exists.
fact-property = Property
fact-value = Value
fact-note = Note (why)
field-segment = Segment
field-replaces = Replaces
field-whole = The request as a whole
fact-missing = The field "{ $field }" is missing or malformed.
error-malformed-json = The JSON body could not be read: { $detail }
error-parameter = The parameter "{ $name }" is malformed.

## Search
nav-search = Search
search-title = Search
search-label = A name, in any script
search-button = Search
search-empty-query = Give a name to search for: the parameter q, in any script.
search-hint = Korean, Russian and Latin spellings of one name find each other.
search-found = { $count ->
    [one] { $count } entity found.
   *[other] { $count } entities found.
}
search-matched = Matched name
search-score = Score
search-why = Why

## Linkage review
nav-review = Linkage review
review-title = Linkage review
review-intro = The pairs the model is least sure are one and the same. Your judgement is logged, and the next linkage follows it.
review-none = No pair waits for a judgement.
review-weight = Match weight
review-comparison = Comparison
review-level = Level
review-part = Weight
verdict-same = Same
verdict-different = Different
verdict-unsure = Unsure

dashboard-viewer = Your role reads what may be published: open the testimonies, entities, search or the map.
entity-more-evidence = { $count ->
    [one] and { $count } more statement (all of them in the JSON: /api/v1/entities/…)
   *[other] and { $count } more statements (all of them in the JSON: /api/v1/entities/…)
}
nav-estimates = Estimates
estimates-title = Estimates
estimates-intro = Estimates kept in the project, newest first: how many people overlapping lists missed, and the state's revenue from its workers. Each gives its figures with their intervals and the chart its run drew; the whole report is in the JSON. Keep one with `clew estimate population … --keep "TITLE"` or `clew estimate revenue … --keep "TITLE"`.
estimates-none = No estimate is kept in this project yet.
estimate-kind-population = Population estimate
estimate-kind-revenue = Revenue estimate
estimate-kept = { $kind }, kept by { $who } on { $when }
estimate-synthetic = SYNTHETIC DATA: made from the fictional data of a demo. These figures describe no real person or company.
estimate-method = Method
estimate-basis = Basis
estimate-figure = Estimate
estimate-interval = Interval
estimate-range = { $low } – { $high } ({ $level }% interval)
estimate-unbounded = no upper bound
estimate-usd = { $amount } US dollars a year
estimate-quota-based = Quota-based (the sums workers must remit)
estimate-wage-based = Wage-based (the share of wages the state takes)
estimate-chart-alt = Chart: { $title }
estimate-report = The whole report (JSON)
dashboard-estimates = Latest estimates
dashboard-all-estimates = Every estimate kept
dashboard-assessment = What the assessment found
dashboard-assessed = { $spells ->
    [one] { $spells } work spell
   *[other] { $spells } work spells
} of { $testimonies ->
    [one] { $testimonies } testimony
   *[other] { $testimonies } testimonies
}, assessed under the built-in rules. Testimonies are not a random sample: these shares describe the testimonies, not all workers.
dashboard-outcomes = Work spells by ICLS 2018 outcome
dashboard-indicators = Work spells showing each ILO indicator of forced labour
indicator-vulnerability = Abuse of vulnerability
indicator-deception = Deception
indicator-movement = Restriction of movement
indicator-isolation = Isolation
indicator-violence = Physical and sexual violence
indicator-threats = Intimidation and threats
indicator-documents = Retention of identity documents
indicator-wages = Withholding of wages
indicator-debt = Debt bondage
indicator-conditions = Abusive working and living conditions
indicator-overtime = Excessive overtime

## Assessment and wage ledgers
nav-ledgers = Ledgers
assessment-title = Assessment
assessment-intro = Each work spell as the built-in rules assess it (rules { $rules }, taxonomy { $taxonomy }): by the ICLS 2018 definition, a spell is forced labour when involuntariness and coercion are both found in it; beside it, the ILO 2012 scheme of strong and medium indicators. Only the facts your role may read are used. The reasons are the rules' own words.
assessment-withdrawn = The witness withdrew consent to every use: this testimony is not analysed.
assessment-none = No work spell your role may read is coded in this testimony.
assessment-spell = Work spell
assessment-period = Period
assessment-icls = ICLS 2018
assessment-ilo = ILO 2012
assessment-findings = What was found in { $spell }
assessment-rule = Rule { $rule }: { $summary }
assessment-segment = segment { $segment }
assessment-contradiction = Coded with different values ({ $property } of { $entity }): { $values }
outcome-label = { $code ->
    [FL] forced labour
    [INV_ONLY] involuntariness without recorded coercion
    [COE_ONLY] coercion without recorded involuntariness
    [NONE] neither dimension recorded
    [NO_STRONG] both sides recorded, but no strong indicator
   *[other] undetermined (too little coded)
}
code-family = { $family ->
    [involuntariness] involuntariness
    [coercion] coercion
   *[other] ILO indicator
}
code-strength = { $strength ->
    [strong] strong
   *[other] medium
}
ledger-title = Wage ledger
ledger-intro = For each work spell: the wage promised, what the employer paid and to whom, each deduction, and what reached the worker and when. Amounts are as the witness gave them; US dollars are converted month by month with the project's rate table.
ledger-none = No wage your role may read is coded in this testimony.
ledger-item = Item
ledger-amount = As stated
ledger-usd = In US dollars
ledger-promised = Promised
ledger-employer-paid = Paid by the employer
ledger-paid-to = to { $name }
ledger-deducted = Deducted: { $kind }
ledger-taken-by = taken by { $name }
ledger-share = { $share } of the wage
ledger-received = Reached the worker
ledger-owed = Owed to the worker
ledger-not-coded = not coded
ledger-flags = Does not add up:
ledger-rates = Rates: { $sources }
ledger-missing = Amounts in { $currency } between { $first } and { $last } have no US-dollar equivalent where the rate table lacks the month: it lacks { $months ->
    [one] { $months } month
   *[other] { $months } months
}.
amount-per = { $period ->
    [month] { $amount } a month
    [year] { $amount } a year
    [total] { $amount } in total
    [day] { $amount } a day
    [hour] { $amount } an hour
   *[other] { $amount }
}
paid-when = { $when ->
    [monthly] monthly
    [irregular] irregularly
    [on_return] only on return home
    [never] never paid
   *[other] when is not known
}
deduction-kind = { $kind ->
    [loyalty_fee] Loyalty fee
    [plan_quota] Plan quota
    [party_contribution] Party contribution
    [lodging] Lodging
    [food] Food
    [voluntary_contribution] "Voluntary" contribution
    [fine] Fine
    [tax] Tax
    [insurance] Insurance
   *[other] Other
}
ledgers-title = Wage ledgers
ledgers-intro = Every work spell's wage ledger in the project's testimonies, in US dollars over each whole spell, made from the facts your role may read. Testimonies are not a random sample of workers: these sums describe the testimonies collected, not all workers.
ledgers-synthetic = SYNTHETIC
ledgers-none = No wage your role may read is coded in the project.
ledgers-spells = Work spells
ledgers-converted = Spells with amounts in US dollars
ledgers-flagged-count = Ledgers that do not add up
ledgers-share-taken = Share taken by deductions
ledgers-chart = Where the employers' payments went, in US dollars
ledgers-owed-on-return = Owed, to be paid on return home
ledgers-never-paid = Owed, never paid
ledgers-unconverted = { $count ->
    [one] { $count } amount has no US-dollar equivalent and is left out of the sums.
   *[other] { $count } amounts have no US-dollar equivalent and are left out of the sums.
}
ledgers-flags = What does not add up, and how often
ledgers-flagged = Flagged ledgers
ledgers-more-flagged = The first { $shown } of { $count } are listed; `clew ledger --json` lists them all.
ledgers-missing = Months without a rate
column-currency = Currency
column-from = From
column-to = To
column-months = Months
column-share = Share of what employers paid

## Entity page: relations, sanctions matches, corroboration
entity-relations = Relations
entity-relations-intro = The entities this one is linked to: those its statements name, and those whose statements name it, directly or through a relation between the two (an employment, a dispatch, a supervision). Only links made by statements your role may read are shown.
entity-relations-none = No relation you may see.
entity-graph-title = Relations of { $name }
entity-graph-legend = Solid line: this entity names the other. Dashed line: the other, or a relation between the two, names this entity. A blue label opens the relation itself.
entity-relations-drawn = { $total ->
    [one] The drawing shows { $drawn } of { $total } relation; see the list below.
   *[other] The drawing shows { $drawn } of { $total } relations; see the list below.
}
entity-relations-more = { $count ->
    [one] and { $count } more relation, not listed here (the JSON of this page, /api/v1/entities/…, lists the first { $kept })
   *[other] and { $count } more relations, not listed here (the JSON of this page, /api/v1/entities/…, lists the first { $kept })
}
entity-relations-capped = More statements name this entity than were read for this page: the count covers only those read.
entity-relation-outgoing = this entity names it
entity-relation-incoming = it names this entity
entity-relation-through = a relation names both
column-link = Link
column-direction = Direction
entity-matches = Sanctions list matches
entity-matches-intro = Candidates that screening against the lists kept in the project found for this entity (`clew screen --record`): leads for a person to check, not findings that it is listed.
column-list = List
column-list-version = List version
entity-sources-note = "Sources saying it" counts the different sources (testimonies, documents, lists) that state each value. Two interviews of one witness count as two sources: read the evidence before taking agreement for independent confirmation.
schema-employment = Employment
schema-dispatch = Dispatch
schema-supervision = Supervision
schema-payment = Payment
schema-deduction = Deduction
schema-housing = Housing
schema-permit = Permit
schema-accommodation = Accommodation
schema-testimony = Testimony
schema-sanctions-match = Sanctions match
reason-no-segment = The testimony has no segment { $segment }.
reason-kind-mismatch = { $entity } is a { $kind }; it cannot also be a { $given }.
reason-derived-id = A new entity's id may not contain “{ $mark }” (clew keeps it for the ids it makes).
reason-kind-needed = { $entity } is a new entity: say what kind it is.
reason-kind-too-general = “{ $kind }” is too general: choose a kind under it.
reason-unknown-kind = There is no kind “{ $kind }”.
reason-unknown-property = A { $kind } has no property “{ $property }”.
reason-written-by-clew = “{ $property }” is written by clew itself (put remarks in the note).
reason-too-long = At most { $max } characters.
reason-bad-value = This is not a valid value for “{ $property }” (it takes: { $kind }).
reason-no-entity = There is no { $kind } “{ $entity }” in this project that could go here.
reason-not-replaceable = { $statement } is not a fact of this testimony that can be replaced.
reason-one-entity = You chose { $entity } twice: a pair needs two entities.
reason-never-compared = { $a } and { $b } are of kinds that are never compared.

dashboard-safe-line = The safe line
dashboard-safe-line-unread = { $count ->
    [one] One letter is unread.
   *[other] { $count } letters are unread.
}
dashboard-safe-line-how = Read and answer them with `clew inbox` and your caseworker key: this page never shows what anyone wrote.

## The safe line (its own listener; senders' pages). Titles stay neutral: a browser's history shows them.
line-title = Notes
line-exit = Leave now
line-heading = Write to us
line-intro = What you write here reaches only the caseworkers of the organisation that gave you this address. It is locked as soon as it arrives, before it is stored: only they can open it, not the people who run this server.
line-safety-heading = Before you write
line-safety-tab = Use a private (incognito) tab, and close it when you are done.
line-safety-photos = Photos carry the place and time they were taken. Send only what you can delete from your phone afterwards. We remove that information before we read, and keep the original locked as evidence.
line-safety-code = If you ask us to answer, you get a code. Remember it or keep it where nobody looks: the 16-digit code can be saved as a phone number. Nobody can recover a lost code, not even us.
line-safety-exit = If someone comes, leave with “Leave now” at the top.
line-safety-trace = We never record your address, your phone or the time of day: only the day a message arrived.
line-message = Your message
line-files = Photos or documents (up to { $count } files, { $size } MB each)
line-answer = Can we answer you?
line-answer-none = No: this message only
line-answer-digits = Yes: give me a 16-digit code
line-answer-words = Yes: give me six words
line-send = Send
line-have-code-heading = You have a code
line-have-code-intro = Enter your code to read our answers and to write again.
line-code = Your code
line-open = Open
line-sending = Sending: part { $done } of { $total }…
line-unreachable = The line cannot be reached just now. What was sent is kept: press the button again later to go on.
line-sent-heading = Your message arrived
line-sent-no-answer = We cannot answer it: you asked for no code. You can always write again.
line-code-heading = Your code
line-code-keep = Remember this code. With it you read our answers and write again. If it is lost, nobody can recover it, not even us.
line-conversation-heading = Your conversation
line-conversation-opened = Started on { $day }. Messages you sent: { $count }.
line-no-replies = No answer yet. Come back later with your code.
line-reply-day = Our answer of { $day }
line-older-replies = Older answers are not shown here: only the latest fit on this page.
line-write-more = Write again
line-refused-heading = The message was not sent
line-back = Back
line-busy = Too many messages are arriving right now. Wait an hour and try again.
line-failed = Something failed on our side; the message was not kept. Try again later.
line-not-found = There is no such page here.
reason-line-empty = The message is empty: write something or add a file.
reason-line-text-too-long = The message is too long: at most { $limit } bytes.
reason-line-too-many-files = Too many files: at most { $limit }.
reason-line-file-too-large = A file is too large: at most { $limit } MB each.
reason-line-closed = This line is not open yet: nobody could read your message. Try again later.
reason-line-unknown-code = This code opens nothing. Check it and try again.
reason-line-conversation-full = This conversation holds all it can. Start a new one without your code.
icls-code = { $code ->
    [INV01] unfree recruitment at birth or through a transaction such as slavery or bonded labour
    [INV02] a job of a different nature from that specified at recruitment, without the worker's consent
    [INV03] abusive requirements for overtime or on-call work not agreed with the employer
    [INV04] work in hazardous conditions the worker has not consented to
    [INV05] work with very low or no wages
    [INV06] degrading living conditions imposed by the employer
    [INV07] work for other employers than agreed
    [INV08] work for a longer period than agreed
    [INV09] work with no or limited freedom to end the contract
    [COE01] threats or violence against workers, their families, relatives or close associates
    [COE02] restrictions on workers' movement
    [COE03] debt bondage or manipulation of debt
    [COE04] withholding of wages or other promised benefits
    [COE05] withholding of valuable documents (identity documents, residence permits)
    [COE06] abuse of workers' vulnerability: denial of rights or privileges, threats of dismissal or deportation
   *[other] { $label }
}
dossier-title = Dossier: { $name }
dossier-synthetic = SYNTHETIC DATA. Every person, company and place in this dossier is fictional, made up by clew's demo; it accuses no one.
dossier-audience = Prepared for { $audience ->
    [internal] the documentation team (internal: it must not leave the team)
    [un] United Nations bodies
    [monitors] sanctions monitors
    [prosecutor] prosecutors and courts
   *[other] publication
}
dossier-made = Made from the evidence as the project's custody log stood at event { $seq }, recorded { $time }.
dossier-coarsened = Witnesses are named only by exhibit number. Periods are given in months and places as regions. An allegation resting on fewer than { $k } witnesses at one site in one month is held back (see “Held back”).
dossier-exact = Periods and sites are given as coded. Witnesses are named only by exhibit number.
dossier-pseudonyms = Witness pseudonyms are shown: this dossier is for the team alone.
dossier-contents = Contents
dossier-count-claims = Allegations
dossier-count-exhibits = Exhibits
dossier-count-held = Testimonies left out
dossier-entity = The entity
dossier-kind = Kind
dossier-names = Names, in every script
dossier-identifiers = Identifiers
dossier-value = Value
dossier-sources = Sources
dossier-matches = Sanctions lists
dossier-matches-intro = A match is a lead for a person to check, not a finding.
dossier-matches-none = No sanctions-list match is recorded for it.
dossier-match-list = List
dossier-match-entry = Entry
dossier-match-name = Name matched
dossier-match-score = Score
dossier-match-why = Why
dossier-claims = Allegations
dossier-claims-intro = Each allegation is a circumstance of involuntariness or an element of coercion in the ICLS 2018 definition of forced labour, or an ILO indicator of forced labour, found by clew's published rules in the testimonies of workers who worked for or at the entity. Each names the exhibits it rests on and how many witnesses say it; two interviews of one witness count once.
dossier-claims-none = No allegation may be shown to this audience.
dossier-family = { $family ->
    [involuntariness] Involuntariness (ICLS 2018)
    [coercion] Coercion (ICLS 2018)
   *[other] ILO indicators of forced labour
}
dossier-witnesses = { $count ->
    [one] one witness
   *[other] { $count } witnesses
}
dossier-single-source = single source
dossier-exhibits-cited = Exhibits: { $list }
dossier-more = and { $count } more
dossier-translation = Translation
dossier-matrix = Corroboration
dossier-matrix-intro = Which exhibit supports which allegation (●).
dossier-matrix-too-wide = With { $count } exhibits the table is too wide to print: each allegation above lists its exhibits, and manifest.json holds them all.
dossier-timeline = Timeline
dossier-timeline-intro = By year: the exhibits that tell of work for or at the entity, and the permits they say were issued.
dossier-year = Year
dossier-working = Exhibits telling of work
dossier-permits = Permits issued
dossier-marker = { $date }: { $instrument }, { $reference }
dossier-sites = Sites
dossier-sites-coarsened = Regions where the exhibits' witnesses worked; positions are rounded to a tenth of a degree.
dossier-sites-exact = The sites where the exhibits' witnesses worked.
dossier-place = Place
dossier-network = Network
dossier-network-intro = Who sent the workers, who employed them where, and who minded them, as the exhibits tell. A name this audience may not read is shown as withheld.
dossier-link = { $kind ->
    [dispatched] sent workers to
    [employed_at] employed workers at
   *[other] minded workers at
}
dossier-withheld = (withheld)
dossier-ledger = Wages
dossier-ledger-intro = The wage ledgers of the exhibits' work spells at the entity, in US dollars over each whole spell. Testimonies are not a random sample of workers: these sums describe the testimonies, not all workers.
dossier-ledger-held = The wage ledger is held back: the wages of fewer than { $k } witnesses are coded.
dossier-ledger-none = No wage is coded in the exhibits.
dossier-revenue = Revenue attributable to the entity
dossier-revenue-intro = What the state took from the work the exhibits document at the entity: the months they worked there, times the mean taken per worker-month (the deductions counted as the state's, such as loyalty fees) in their wage ledgers, with a 95% interval from resampling witnesses. It is a floor: the exhibits do not count every worker of the entity, and the months without a ledger are taken to be like those with one.
dossier-revenue-months = Worker-months documented
dossier-revenue-per-month = Taken per worker-month (mean)
dossier-revenue-total = Attributable in all (mean)
dossier-revenue-small = Fewer than 30 witnesses give the state's take: the interval means little.
dossier-revenue-none = No wage ledger shown gives what the state took.
dossier-pdf-more = { $count } more rows, each with fewer witnesses, are in dossier.html.
dossier-legal = The law it bears on
dossier-legal-intro = Each instrument below, with the evidence that bears on it. The summaries are a reader's guide, not a legal opinion; each instrument's text is at its source.
dossier-legal-exhibits = { $count ->
    [one] One exhibit bears on it.
   *[other] { $count } exhibits bear on it.
}
dossier-legal-codes = Allegations: { $codes }
dossier-adopted = Adopted { $date }.
dossier-held = Held back
dossier-held-intro = What this dossier leaves out for its audience, and why; never what it says.
dossier-held-consent = { $count ->
    [one] One testimony: its witness's consent does not cover this audience.
   *[other] { $count } testimonies: their witnesses' consent does not cover this audience.
}
dossier-held-few = { $count ->
    [one] One testimony
   *[other] { $count } testimonies
} behind “{ $claim }”: fewer than { $k } witnesses at one site in one month.
dossier-held-ledger = The wage ledger: the wages of { $count } witnesses, fewer than { $k }.
dossier-held-none = Nothing was held back.
dossier-exhibit-list = Exhibits
dossier-exhibit-intro = Each exhibit is one testimony. Its SHA-256 is that of the material file (material/testimony.json) of an evidence package of the testimony for this audience: the team exports it with `clew package export`, and anyone checks the hash with sha256sum. The custody events are numbered as in the project's log, whose signed tree head proves them.
dossier-exhibit = Exhibit
dossier-period = Period
dossier-witness = Witness
dossier-testimony = Testimony
dossier-events = Custody events
dossier-no-material = no material for this audience
dossier-made-from = How this dossier was made
dossier-made-from-intro = clew assessed the testimonies with the rules and taxonomy below; manifest.json lists what the dossier rests on, so that it can be made again and compared.
dossier-made-version = Version
dossier-made-statements = Statements read
dossier-held-links = { $count ->
    [one] One link
   *[other] { $count } links
} of the network: fewer than { $k } witnesses tell of each.
entity-dossier = Dossier
entity-dossier-link = Make a dossier on this entity
entity-dossier-intro = A report on this entity for one audience, as one HTML file to save, print or send: each allegation with its exhibits, the law it bears on, and what was held back for that audience and why. Every dossier made is logged in the custody log. Your role may make these:
dossier-legal-few = Fewer than { $k } exhibits bear on it.
dossier-held-few-total = { $count ->
    [one] One testimony
   *[other] { $count } testimonies
} in part or whole: their part in an allegation rests on fewer than { $k } witnesses at one site in one month.
dossier-held-places = { $count ->
    [one] One place
   *[other] { $count } places
}: fewer than { $k } witnesses worked at each.

## Sanctions brief
brief-title = Sanctions brief: DPRK workers in Russia
brief-synthetic = SYNTHETIC DATA. Every person, company and place in this brief is fictional, made up by clew's demo; it accuses no one.
brief-intro = What the project's testimonies say, for the monitoring of UN Security Council resolutions 2375 and 2397: who worked in Russia after the repatriation deadline, the permits they came on, who employed and dispatched them, and what the state earned. Every count is of witnesses: two interviews of one witness count once. Testimonies are not a random sample of workers: the counts describe the testimonies, not all workers.
brief-since = Only work and permits from { $month } on.
brief-count-witnesses = Witnesses working after the deadline
brief-count-testimonies = Testimonies read
brief-count-bodies = Employers and dispatching bodies shown
brief-deadline = Working after the repatriation deadline
brief-deadline-intro = Resolution 2397 ¶8 required every DPRK national earning income abroad to be sent home by { $date }. These witnesses, DPRK nationals, worked in Russia after it.
brief-by-year = Witnesses working in Russia after the deadline, by year
brief-witnesses = Witnesses
brief-sector = Sector
brief-sector-none = (not coded)
brief-spells = Work spells after the deadline: { $count }.
brief-unplaced = Work spells not counted: { $count } (the witness's nationality or the country of the work is not coded).
brief-permits = Permits by declared purpose
brief-permits-intro = The permits the witnesses came on, by the year issued and the purpose declared. A "study" permit held by someone who works is the channel used since the work channel closed.
brief-permits-after = Witnesses whose permit was issued on or after { $date } (resolution 2375 ¶17): { $count }.
brief-permits-none = No permit is coded.
brief-bodies = Employers and dispatching bodies
brief-bodies-intro = Each with the witnesses who name it, those working for it (or sent by it) after the deadline, the last year the testimonies place work with it, and its sanctions-list status as screened. A match is a lead to check, not a finding; a body with no match may be one to consider for designation.
brief-role = { $role ->
    [dispatcher] Dispatching body
   *[other] Employer
}
brief-role-heading = Role
brief-name = Name
brief-after = After the deadline
brief-last-year = Last year
brief-lists = Sanctions lists
brief-unlisted = no match on the lists screened
brief-bodies-held = Held back: { $count } employers or bodies named by fewer than { $k } witnesses, or whose name this audience may not read.
brief-bodies-none = No employer or dispatching body may be shown to this audience.
brief-revenue = Revenue estimates
brief-revenue-intro = The newest estimates of the state's revenue from its workers in Russia kept in the project, in US dollars a year, with their 95% intervals. Each was made with clew estimate revenue; its report says from what.
brief-revenue-none = No revenue estimate is kept in the project (clew estimate revenue … --keep "TITLE" keeps one).
brief-revenue-outside = The team's revenue estimates draw on every testimony's wage ledger, whatever its witness's consent, so they are not in a brief for this audience. Instead: what the state took per worker-month (loyalty fees and the other deductions counted as the state's), in US dollars, from the wage ledgers of the testimonies this audience may have, with its 95% interval from resampling witnesses.
brief-take = Taken per worker-month (mean)
brief-take-none = Fewer than 30 witnesses (or fewer than the set number) give what the state took: no figure is given.
brief-kept = Estimate { $number }: { $title } (kept { $date })
brief-legal = The law
brief-legal-intro = The instruments these facts bear on. The summaries are a reader's guide, not a legal opinion; each instrument's text is at its source.
brief-method = How it was made
brief-left-out = Testimonies left out because their witnesses' consent does not cover this audience: { $count }.
brief-coarsened = For this audience a count below { $k } is given as "< { $k }", and an employer or body named by fewer than { $k } witnesses is held back.
brief-exact = Counts are given as they are: this brief is for the team or the courts.
