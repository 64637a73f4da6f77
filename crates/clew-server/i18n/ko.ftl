# 웹 애플리케이션의 한국어 메시지. en.ftl의 모든 id가 여기 있어야 합니다(빌드가 검사합니다).

## Layout
nav-label = 주 메뉴
nav-dashboard = 대시보드
nav-entities = 개체
nav-log = 관리 기록
language-label = 언어
account-password = 비밀번호 변경
sign-out = 로그아웃
footer-protected = 증언자의 신원은 관리인만 열 수 있도록 봉인되어 있으며 여기에는 결코 표시되지 않습니다. 관리인은 자신의 컴퓨터에서 clew 명령줄로 엽니다.
back-home = 대시보드로 돌아가기
page-next = 다음 페이지
page-older = 이전 기록

## Roles
role-admin = 관리자
role-custodian = 관리인
role-coder = 코더
role-analyst = 분석가
role-viewer = 열람자

## Errors
error-title = 문제가 발생했습니다
error-internal = clew 내부에서 오류가 발생했습니다. 사용자의 잘못이 아닙니다.
error-request-id = 다시 발생하면 관리자에게 이 요청 번호를 알려 주십시오: { $id }
error-invalid = 요청이 받아들여지지 않았습니다:
error-not-found = 찾을 수 없습니다:
error-unauthenticated = 로그인하지 않았거나 세션이 끝났습니다:
error-forbidden = 귀하의 역할로는 이 작업을 할 수 없습니다.
error-busy = 프로젝트가 사용 중입니다. 아무것도 기록되지 않았습니다. 잠시 후 다시 시도하십시오.
error-conflict = 프로젝트에 저장된 내용과 모순됩니다:
error-rate-limited = 시도 횟수가 너무 많습니다.
error-rate-limited-for = 로그인 실패가 너무 많습니다. { $minutes }분 후에 다시 시도하십시오.
error-too-large = 요청이 너무 큽니다.
error-timeout = 서버의 응답이 너무 늦었습니다. 다시 시도하십시오.
error-page-not-found = 그런 페이지는 없습니다.
error-method = 이 페이지는 그런 종류의 요청을 받지 않습니다.
error-malformed = 요청을 읽을 수 없습니다. 양식 항목이나 매개변수의 형식이 잘못되었습니다.
error-foreign-form = 이 양식은 clew 자체 페이지에서 온 것이 아니어서 거부되었으며 아무것도 바뀌지 않았습니다. 페이지를 다시 열고 그곳에서 양식을 보내십시오.
error-sign-in-first = 먼저 로그인하십시오.
error-change-password-first = 먼저 일회용 비밀번호를 변경하십시오.

## Signing in
sign-in-title = 로그인
sign-in = 로그인
sign-in-name = 계정 이름
sign-in-password = 비밀번호
sign-in-code = 인증 앱의 코드
sign-in-code-hint = 관리자와 관리인만: 앱에 지금 표시된 여섯 자리 숫자.
sign-in-missing = 계정 이름과 비밀번호를 입력하십시오.
sign-in-refused = 계정 이름, 비밀번호 또는 코드가 틀렸거나 계정이 비활성화되었습니다.

## Password
password-temporary = 일회용 비밀번호로 로그인했습니다. 계속하기 전에 자신의 비밀번호를 정하십시오.
password-current = 현재 비밀번호
password-new = 새 비밀번호
password-rule = { $min }자 이상이며 현재 비밀번호와 달라야 합니다.
password-repeat = 새 비밀번호 확인
password-change = 비밀번호 변경
password-needs-session = 비밀번호는 API 토큰이 아니라 로그인한 브라우저에서 변경합니다.
password-mismatch = 두 새 비밀번호가 서로 다릅니다.
password-refused = 새 비밀번호가 너무 짧거나 너무 길거나 현재 비밀번호와 같습니다.
password-wrong = 현재 비밀번호가 틀렸습니다.

## Dashboard
dashboard-title = 대시보드
dashboard-counts = 프로젝트에 있는 것
dashboard-entities-by-schema = 종류별 개체
dashboard-recent-events = 최근 관리 기록
dashboard-whole-log = 관리 기록 전체
count-testimonies = 증언 { $count }건
count-testimonies-label = 증언
count-entities-label = 개체
count-statements-label = 진술
count-segments-label = 서술 구간
synthetic-notice = 이 프로젝트에는 합성된 시연용 데이터가 들어 있습니다. 모든 사람, 회사, 증언은 지어낸 것입니다.

## Schemata
schema-person = 사람
schema-company = 회사
schema-public-body = 공공 기관
schema-worksite = 작업장

## Tables
column-schema = 종류
column-count = 수
column-name = 이름
column-when = 일시
column-who = 누가
column-what = 무엇을
column-detail = 세부 내용
column-property = 속성
column-value = 값
column-sources = 이 값을 진술한 출처 수
column-evidence = 근거

## Entities
entities-title = 개체
entities-all = 전체
entities-none = 표시할 개체가 없습니다.
entity-schema-conflicts = 출처마다 이것이 무엇인지에 대해 다르게 말합니다:
protected-notice = 귀하의 역할이 읽을 수 있는 진술만 표시됩니다. 보호된 데이터는 서버가 결코 표시하지 않습니다.

## Custody log
log-title = 관리 기록
log-intro = 프로젝트의 모든 변경, 모든 로그인과 모든 내보내기가 최신순으로 표시됩니다. 각 기록은 위변조를 드러내는 기록 사슬에 연결되며 `clew verify`가 이를 검사합니다.

## Map
nav-map = 지도
map-title = 작업장과 숙소 지도
map-intro = 프로젝트에 좌표가 있는 장소입니다. 점을 선택하면 그 페이지가 열립니다.
map-places = 이곳의 장소: { $n }곳
map-worksite = 작업장
map-accommodation = 숙소
map-other = 기타 장소
map-mixed = 여러 종류의 장소
map-outside = 지도에 없음(지도가 보여 주는 지역 밖):
map-none = 열람할 수 있는 장소 중 좌표가 있는 곳이 없습니다.
map-list = 지도의 장소
map-source = 기본 지도: Natural Earth(퍼블릭 도메인), clew에 포함되어 있으며 인터넷에서 아무것도 가져오지 않습니다.

## Verification
nav-verify = 검증
verify-title = 관리 기록 검증
verify-intro = `clew verify`와 같이 모든 관리 기록, 각 기록 작업이 보증한 진술·기록·보호 블록, 모든 첨부 파일의 봉인 파일과 보관된 명단을 다시 계산합니다. 첨부 파일의 내용은 관리인 키로만, 관리인 자신의 컴퓨터에서 검사됩니다.
verify-never = 서버가 시작된 뒤 검증이 실행된 적이 없습니다.
verify-running = { $who } 님이 { $seconds }초 전에 시작했습니다.
verify-step-events = 읽은 관리 기록: { $count }건.
verify-step-records = 각 기록 작업이 보증한 내용을 다시 계산하는 중입니다.
verify-step-attachments = 첨부 파일을 검사하는 중입니다.
verify-step-lists = 판정과 보관된 명단을 검사하는 중입니다.
verify-clean = 모두 이상이 없습니다(기록 { $events }건, { $who } 님이 실행, { $when } 완료).
verify-problems = 문제 { $count }건이 발견되었습니다({ $who } 님이 실행, { $when } 완료):
verify-tree-head = 트리 헤드
verify-attachments = 검사한 첨부 파일
verify-open-to-others = 프로젝트의 파일이나 폴더 { $count }개를 서버 컴퓨터의 다른 사용자가 읽거나 쓸 수 있습니다. 자세한 내용은 그 컴퓨터에서 `clew verify`를 실행하십시오.
verify-failed = { $who } 님이 시작한 검증을 끝내지 못했습니다:
verify-start = 지금 검증

## Testimonies
nav-testimonies = 증언
testimonies-title = 증언
testimonies-found = 해당하는 증언 { $count }건.
facet-sector = 업종
facet-region = 지역
facet-year = 연도
facet-visa = 비자 경로
facet-outcome = 판정
facet-coder = 코더
filter-any = 전체
filter-apply = 거르기
filter-clear = 조건 지우기
column-interview = 면담
testimony-language = 면담 언어
testimony-imported = 가져옴
testimony-withdrawn = 동의 철회
testimony-segments = 증언자의 말과 그로부터 코딩한 내용
testimony-apart = 구간을 인용하지 않는 사실
segment-original = 원문
segment-translation = 번역
segment-coded = 코딩한 내용
segment-hidden = 귀하의 역할에는 증언자의 말이 표시되지 않습니다.
statement-superseded = { $who } 님이 { $when }에 대체함
fact-add = 사실 추가
fact-correct = 정정
fact-entity = 개체 id
fact-schema = 종류(새 개체인 경우)
fact-schema-hint = Person, Company, Worksite 등. 이미 있는 개체라면 비워 두십시오.
fact-property = 속성
fact-value = 값
fact-note = 메모(이유)
field-segment = 구간
field-replaces = 대체하는 사실
field-whole = 요청 전체
fact-missing = "{ $field }" 항목이 없거나 형식이 잘못되었습니다.
error-malformed-json = JSON 본문을 읽을 수 없습니다: { $detail }
error-parameter = 매개변수 "{ $name }"의 형식이 잘못되었습니다.

## Search
nav-search = 검색
search-title = 검색
search-label = 이름(어떤 문자로든)
search-button = 검색
search-empty-query = 검색할 이름을 q 매개변수로 주십시오(어느 문자로든).
search-hint = 한 이름의 한글, 러시아어, 로마자 표기가 서로를 찾습니다.
search-found = 찾은 개체 { $count }개.
search-matched = 일치한 이름
search-score = 점수
search-why = 이유

## Linkage review
nav-review = 연결 검토
review-title = 연결 검토
review-intro = 모형이 같은 대상인지 가장 확신하지 못하는 쌍입니다. 귀하의 판정은 기록되며 다음 연결에 반영됩니다.
review-none = 판정을 기다리는 쌍이 없습니다.
review-weight = 일치 가중치
review-comparison = 비교
review-level = 수준
review-part = 가중치
verdict-same = 같음
verdict-different = 다름
verdict-unsure = 모르겠음

dashboard-viewer = 귀하의 역할은 공개할 수 있는 내용만 읽습니다. 증언, 개체, 검색 또는 지도를 여십시오.
entity-more-evidence = 그 밖의 진술 { $count }건(모두 JSON에 있음: /api/v1/entities/…)
nav-estimates = 추정
estimates-title = 추정
estimates-intro = 프로젝트에 보관된 추정치입니다(최신순): 서로 겹치는 명단들이 놓친 사람의 수, 그리고 국가가 노동자들로부터 얻는 수입. 각 추정은 구간과 함께 수치를 보여 주고, 실행 시 그린 차트를 함께 보여 줍니다. 전체 보고서는 JSON에 있습니다. 보관하려면 `clew estimate population … --keep "제목"` 또는 `clew estimate revenue … --keep "제목"`을 실행하십시오.
estimates-none = 이 프로젝트에는 아직 보관된 추정치가 없습니다.
estimate-kind-population = 인구 추정
estimate-kind-revenue = 수입 추정
estimate-kept = { $kind }, { $when }에 { $who }이(가) 보관
estimate-synthetic = 합성 데이터: 데모의 허구 데이터로 만든 것입니다. 이 수치는 실제 인물이나 회사를 나타내지 않습니다.
estimate-method = 방법
estimate-basis = 기준
estimate-figure = 추정치
estimate-interval = 구간
estimate-range = { $low } – { $high } ({ $level }% 구간)
estimate-unbounded = 상한 없음
estimate-usd = 연간 { $amount } 미국 달러
estimate-quota-based = 할당량 기준(노동자가 상납해야 하는 금액)
estimate-wage-based = 임금 기준(국가가 가져가는 임금의 몫)
estimate-chart-alt = 차트: { $title }
estimate-report = 전체 보고서(JSON)
dashboard-estimates = 최신 추정
dashboard-all-estimates = 보관된 모든 추정
dashboard-assessment = 평가 결과
dashboard-assessed = 증언 { $testimonies }건의 근로 기간 { $spells }건을 기본 규칙으로 평가했습니다. 증언은 무작위 표본이 아닙니다. 이 비율은 모든 노동자가 아니라 증언을 설명합니다.
dashboard-outcomes = ICLS 2018 판정별 근로 기간
dashboard-indicators = ILO 강제노동 지표별 해당 근로 기간
indicator-vulnerability = 취약성의 악용
indicator-deception = 기만
indicator-movement = 이동의 제한
indicator-isolation = 고립
indicator-violence = 신체적·성적 폭력
indicator-threats = 협박과 위협
indicator-documents = 신분증 압수
indicator-wages = 임금 유보
indicator-debt = 채무 속박
indicator-conditions = 열악한 근로·생활 조건
indicator-overtime = 과도한 초과 근무

## Assessment and wage ledgers
nav-ledgers = 임금 장부
assessment-title = 평가
assessment-intro = 내장 규칙(규칙 { $rules }, 분류 체계 { $taxonomy })에 따른 근로 기간별 평가입니다. ICLS 2018 정의에 따르면 한 근로 기간에 비자발성과 강압이 모두 확인되면 강제노동입니다. 그 옆에 강한 지표와 중간 지표로 이루어진 ILO 2012 체계의 결과를 보여 줍니다. 귀하의 역할이 읽을 수 있는 사실만 사용합니다. 이유는 규칙의 원문 그대로입니다.
assessment-withdrawn = 증언자가 모든 이용에 대한 동의를 철회했습니다. 이 증언은 분석하지 않습니다.
assessment-none = 이 증언에는 귀하의 역할이 읽을 수 있는 근로 기간이 코딩되어 있지 않습니다.
assessment-spell = 근로 기간
assessment-period = 기간
assessment-icls = ICLS 2018
assessment-ilo = ILO 2012
assessment-findings = { $spell }에서 확인된 내용
assessment-rule = 규칙 { $rule }: { $summary }
assessment-segment = 구간 { $segment }
assessment-contradiction = 서로 다른 값으로 코딩됨({ $entity }의 { $property }): { $values }
outcome-label = { $code ->
    [FL] 강제노동
    [INV_ONLY] 강압 기록 없는 비자발성
    [COE_ONLY] 비자발성 기록 없는 강압
    [NONE] 어느 차원도 기록되지 않음
    [NO_STRONG] 양쪽 모두 기록되었으나 강한 지표 없음
   *[other] 판단 불가(코딩된 내용이 너무 적음)
}
code-family = { $family ->
    [involuntariness] 비자발성
    [coercion] 강압
   *[other] ILO 지표
}
code-strength = { $strength ->
    [strong] 강함
   *[other] 중간
}
ledger-title = 임금 장부
ledger-intro = 근로 기간마다 약속된 임금, 고용주가 지급한 금액과 받은 쪽, 각 공제, 그리고 노동자에게 실제로 돌아간 금액과 그 시기를 보여 줍니다. 금액은 증언자가 말한 그대로이며, 미국 달러 환산은 프로젝트의 환율표로 달마다 계산합니다.
ledger-none = 이 증언에는 귀하의 역할이 읽을 수 있는 임금이 코딩되어 있지 않습니다.
ledger-item = 항목
ledger-amount = 진술 금액
ledger-usd = 미국 달러 환산
ledger-promised = 약속된 임금
ledger-employer-paid = 고용주 지급액
ledger-paid-to = 받은 쪽: { $name }
ledger-deducted = 공제: { $kind }
ledger-taken-by = 가져간 쪽: { $name }
ledger-share = 임금의 { $share }
ledger-received = 노동자에게 돌아간 금액
ledger-owed = 노동자가 받아야 할 금액
ledger-not-coded = 코딩되지 않음
ledger-flags = 맞지 않는 부분:
ledger-rates = 환율 출처: { $sources }
ledger-missing = { $first }부터 { $last }까지의 { $currency } 금액 가운데 환율표에 없는 달의 금액은 미국 달러로 환산하지 못했습니다. 빠진 달: { $months }개월.
amount-per = { $period ->
    [month] 월 { $amount }
    [year] 연 { $amount }
    [total] 총 { $amount }
    [day] 일 { $amount }
    [hour] 시간당 { $amount }
   *[other] { $amount }
}
paid-when = { $when ->
    [monthly] 매달
    [irregular] 비정기적으로
    [on_return] 귀국할 때만
    [never] 끝내 지급되지 않음
   *[other] 시기 알 수 없음
}
deduction-kind = { $kind ->
    [loyalty_fee] 충성자금
    [plan_quota] 계획 과제금
    [party_contribution] 당비
    [lodging] 숙소비
    [food] 식비
    [voluntary_contribution] '자발적' 기부금
    [fine] 벌금
    [tax] 세금
    [insurance] 보험료
   *[other] 기타
}
ledgers-title = 임금 장부
ledgers-intro = 프로젝트 증언에 나오는 모든 근로 기간의 임금 장부를 근로 기간 전체에 걸친 미국 달러로 합산한 것이며, 귀하의 역할이 읽을 수 있는 사실만으로 만들었습니다. 증언은 노동자의 무작위 표본이 아닙니다. 이 합계는 수집된 증언을 나타낼 뿐 모든 노동자를 나타내지 않습니다.
ledgers-synthetic = 가상 데이터
ledgers-none = 프로젝트에 귀하의 역할이 읽을 수 있는 임금이 코딩되어 있지 않습니다.
ledgers-spells = 근로 기간
ledgers-converted = 미국 달러로 환산된 금액이 있는 근로 기간
ledgers-flagged-count = 맞지 않는 장부
ledgers-share-taken = 공제로 가져간 비율
ledgers-chart = 고용주 지급액의 행방(미국 달러)
ledgers-owed-on-return = 받아야 할 금액(귀국 시 지급 예정)
ledgers-never-paid = 받아야 할 금액(끝내 미지급)
ledgers-unconverted = 금액 { $count }건은 미국 달러로 환산할 수 없어 합계에서 제외했습니다.
ledgers-flags = 맞지 않는 부분과 그 빈도
ledgers-flagged = 맞지 않는 장부
ledgers-more-flagged = { $count }건 가운데 처음 { $shown }건만 보여 줍니다. 전부는 `clew ledger --json`으로 볼 수 있습니다.
ledgers-missing = 환율이 없는 달
column-currency = 통화
column-from = 시작
column-to = 끝
column-months = 개월 수
column-share = 고용주 지급액 대비 비율

## Entity page: relations, sanctions matches, corroboration
entity-relations = 관계
entity-relations-intro = 이 개체와 연결된 개체입니다. 이 개체의 진술이 가리키는 개체와, 직접 또는 둘 사이의 관계(고용, 파견, 감독)를 통해 이 개체를 가리키는 개체가 표시됩니다. 귀하의 역할이 읽을 수 있는 진술로 이루어진 연결만 보입니다.
entity-relations-none = 볼 수 있는 관계가 없습니다.
entity-graph-title = { $name }의 관계
entity-graph-legend = 실선: 이 개체가 상대를 가리킵니다. 점선: 상대 또는 둘 사이의 관계가 이 개체를 가리킵니다. 파란 글씨를 누르면 관계 자체가 열립니다.
entity-relations-drawn = 그림에는 관계 { $total }건 중 { $drawn }건이 표시됩니다. 아래 목록을 보십시오.
entity-relations-more = 그 밖의 관계 { $count }건은 여기에 나열되지 않습니다(이 페이지의 JSON, /api/v1/entities/…에 처음 { $kept }건이 있음)
entity-relations-capped = 이 개체를 가리키는 진술이 이 페이지에서 읽은 것보다 많습니다. 개수는 읽은 진술만 센 것입니다.
entity-relation-outgoing = 이 개체가 가리킴
entity-relation-incoming = 이 개체를 가리킴
entity-relation-through = 관계가 둘을 가리킴
column-link = 연결
column-direction = 방향
entity-matches = 제재 목록 일치 후보
entity-matches-intro = 프로젝트에 보관된 제재 목록과 대조하여(`clew screen --record`) 이 개체에 대해 찾은 후보입니다. 사람이 확인해야 할 단서이며, 이 개체가 목록에 올라 있다는 결론이 아닙니다.
column-list = 목록
column-list-version = 목록 버전
entity-sources-note = "이 값을 진술한 출처 수"는 각 값을 진술한 서로 다른 출처(증언, 문서, 목록)의 수입니다. 한 증인을 두 번 면담하면 출처 두 개로 셉니다. 일치하는 진술을 독립적인 확인으로 받아들이기 전에 근거를 읽으십시오.
schema-employment = 고용
schema-dispatch = 파견
schema-supervision = 감독
schema-payment = 지급
schema-deduction = 공제
schema-housing = 거주
schema-permit = 허가증
schema-accommodation = 숙소
schema-testimony = 증언
schema-sanctions-match = 제재 목록 일치 후보
reason-no-segment = 이 증언에는 { $segment } 구간이 없습니다.
reason-kind-mismatch = { $entity }은(는) { $kind }이며 { $given }일 수 없습니다.
reason-derived-id = 새 항목의 ID에는 “{ $mark }”를 넣을 수 없습니다(clew가 만드는 ID에 씁니다).
reason-kind-needed = { $entity }은(는) 새 항목입니다. 종류를 지정하십시오.
reason-kind-too-general = “{ $kind }”은(는) 너무 일반적입니다. 그 아래의 종류를 고르십시오.
reason-unknown-kind = “{ $kind }”라는 종류는 없습니다.
reason-unknown-property = { $kind }에는 “{ $property }” 속성이 없습니다.
reason-written-by-clew = “{ $property }”은(는) clew가 직접 씁니다(설명은 메모에 적으십시오).
reason-too-long = 최대 { $max }자까지 입력할 수 있습니다.
reason-bad-value = “{ $property }”에 맞는 값이 아닙니다(형식: { $kind }).
reason-no-entity = 이 프로젝트에는 여기에 올 수 있는 { $kind } “{ $entity }”이(가) 없습니다.
reason-not-replaceable = { $statement }은(는) 이 증언에서 대체할 수 있는 사실이 아닙니다.
reason-one-entity = { $entity }을(를) 두 번 골랐습니다. 쌍에는 서로 다른 두 항목이 필요합니다.
reason-never-compared = { $a }와(과) { $b }은(는) 서로 비교하지 않는 종류입니다.

dashboard-safe-line = 안전 창구
dashboard-safe-line-unread = 읽지 않은 글: { $count }개.
dashboard-safe-line-how = `clew inbox`와 상담원 키로 읽고 답하세요. 이 쪽은 누가 무엇을 썼는지 보여 주지 않습니다.

## The safe line (its own listener; senders' pages). Titles stay neutral: a browser's history shows them.
line-title = 메모
line-exit = 바로 나가기
line-heading = 저희에게 글을 보내 주세요
line-intro = 여기에 쓰신 글은 이 주소를 알려 드린 단체의 상담원에게만 전달됩니다. 글은 도착하자마자 저장되기 전에 잠기므로 상담원만 열 수 있고, 이 서버를 운영하는 사람은 열 수 없습니다.
line-safety-heading = 글을 쓰기 전에
line-safety-tab = 비공개(시크릿) 창을 사용하시고, 다 쓰신 뒤에는 창을 닫으세요.
line-safety-photos = 사진에는 찍은 장소와 시간이 담겨 있습니다. 보낸 뒤 휴대폰에서 지울 수 있는 것만 보내세요. 저희는 읽기 전에 그 정보를 지우고, 원본은 증거로 잠가 보관합니다.
line-safety-code = 답장을 원하시면 번호를 드립니다. 번호를 외우시거나 아무도 보지 않는 곳에 두세요. 16자리 번호는 전화번호처럼 저장할 수 있습니다. 잃어버린 번호는 저희도 되찾을 수 없습니다.
line-safety-exit = 누가 오면 맨 위의 “바로 나가기”를 누르세요.
line-safety-trace = 저희는 접속 주소, 휴대폰 정보, 시각을 기록하지 않습니다. 글이 도착한 날짜만 남습니다.
line-message = 보내실 글
line-files = 사진이나 문서 (최대 { $count }개, 각 { $size } MB까지)
line-answer = 답장을 받으시겠습니까?
line-answer-none = 아니요, 이 글만 보냅니다
line-answer-digits = 네, 16자리 번호를 주세요
line-answer-words = 네, 낱말 여섯 개를 주세요
line-send = 보내기
line-have-code-heading = 번호가 있으신 분
line-have-code-intro = 번호를 넣으시면 답장을 읽고 다시 글을 보내실 수 있습니다.
line-code = 번호
line-open = 열기
line-sending = 보내는 중: { $total }개 중 { $done }번째…
line-unreachable = 지금은 연결되지 않습니다. 이미 보낸 부분은 남아 있으니 나중에 단추를 다시 누르면 이어서 보냅니다.
line-sent-heading = 글이 도착했습니다
line-sent-no-answer = 번호를 받지 않으셨기 때문에 답장을 드릴 수 없습니다. 언제든지 다시 쓰실 수 있습니다.
line-code-heading = 받으신 번호
line-code-keep = 이 번호를 기억해 두세요. 이 번호로 답장을 읽고 다시 글을 보내실 수 있습니다. 잃어버리면 저희를 포함해 아무도 되찾을 수 없습니다.
line-conversation-heading = 주고받은 글
line-conversation-opened = { $day }에 시작했습니다. 보내신 글: { $count }개.
line-no-replies = 아직 답장이 없습니다. 나중에 번호를 가지고 다시 오세요.
line-reply-day = { $day }에 보낸 답장
line-older-replies = 오래된 답장은 여기에 보이지 않습니다. 최근 답장만 이 쪽에 들어갑니다.
line-write-more = 다시 쓰기
line-refused-heading = 글을 보내지 못했습니다
line-back = 돌아가기
line-busy = 지금 글이 너무 많이 오고 있습니다. 한 시간 뒤에 다시 해 보세요.
line-failed = 저희 쪽에서 문제가 생겨 글이 보관되지 않았습니다. 나중에 다시 해 보세요.
line-not-found = 그런 쪽은 없습니다.
reason-line-empty = 글이 비어 있습니다. 글을 쓰시거나 파일을 넣어 주세요.
reason-line-text-too-long = 글이 너무 깁니다. 최대 { $limit }바이트까지 보낼 수 있습니다.
reason-line-too-many-files = 파일이 너무 많습니다. 최대 { $limit }개까지 보낼 수 있습니다.
reason-line-file-too-large = 파일이 너무 큽니다. 파일마다 최대 { $limit } MB까지 보낼 수 있습니다.
reason-line-closed = 아직 이 창구가 열리지 않아 글을 읽을 사람이 없습니다. 나중에 다시 해 보세요.
reason-line-unknown-code = 이 번호로 열리는 글이 없습니다. 번호를 확인하고 다시 해 보세요.
reason-line-conversation-full = 이 대화에는 더 이상 담을 수 없습니다. 번호 없이 새로 시작해 주세요.
icls-code = { $code ->
    [INV01] 출생 시 또는 노예제·담보 노동 같은 거래를 통한 비자유 모집
    [INV02] 노동자의 동의 없이 모집 때 약속과 다른 성격의 일을 시킴
    [INV03] 고용주와 합의하지 않은 부당한 초과 근무나 대기 근무 요구
    [INV04] 노동자가 동의하지 않은 위험한 조건에서의 노동
    [INV05] 매우 낮은 임금이나 무임금 노동
    [INV06] 고용주가 강요한 비인간적인 생활 조건
    [INV07] 합의한 것과 다른 고용주를 위한 노동
    [INV08] 합의한 것보다 긴 기간의 노동
    [INV09] 계약을 끝낼 자유가 없거나 제한된 노동
    [COE01] 노동자나 그 가족·친척·가까운 사람에 대한 위협이나 폭력
    [COE02] 노동자의 이동 제한
    [COE03] 채무 노예 또는 채무 조작
    [COE04] 임금이나 약속된 혜택의 보류
    [COE05] 귀중한 서류(신분증, 체류 허가증)의 압수
    [COE06] 권리나 특권의 박탈, 해고·추방 위협을 통한 노동자 취약성의 악용
   *[other] { $label }
}
dossier-title = 보고서: { $name }
dossier-synthetic = 가상 데이터. 이 보고서의 모든 사람, 회사, 장소는 clew 데모가 만든 허구이며 누구도 고발하지 않습니다.
dossier-audience = 제출 대상: { $audience ->
    [internal] 기록 팀(내부용: 팀 밖으로 내보내지 마십시오)
    [un] 유엔 기구
    [monitors] 제재 감시 기구
    [prosecutor] 검찰과 법원
   *[other] 공개 발행
}
dossier-made = 프로젝트 관리 기록(custody log)의 { $seq }번 사건({ $time } 기록) 시점의 증거로 작성했습니다.
dossier-coarsened = 증언자는 증거물 번호로만 표시합니다. 기간은 월 단위, 장소는 지역 단위로만 적습니다. 한 현장에서 한 달에 증언자가 { $k }명 미만인 주장은 싣지 않습니다("보류한 내용" 참조).
dossier-exact = 기간과 현장은 코딩된 그대로 적습니다. 증언자는 증거물 번호로만 표시합니다.
dossier-pseudonyms = 증언자 가명을 표시합니다. 이 보고서는 팀 내부용입니다.
dossier-contents = 목차
dossier-count-claims = 주장
dossier-count-exhibits = 증거물
dossier-count-held = 빠진 증언
dossier-entity = 대상
dossier-kind = 종류
dossier-names = 모든 문자로 된 이름
dossier-identifiers = 식별 번호
dossier-value = 값
dossier-sources = 출처 수
dossier-matches = 제재 명단
dossier-matches-intro = 일치 결과는 사람이 확인해야 할 단서이지 결론이 아닙니다.
dossier-matches-none = 이 대상에 대해 기록된 제재 명단 일치가 없습니다.
dossier-match-list = 명단
dossier-match-entry = 항목
dossier-match-name = 일치한 이름
dossier-match-score = 점수
dossier-match-why = 근거
dossier-claims = 주장
dossier-claims-intro = 각 주장은 ICLS 2018 강제노동 정의의 비자발성 상황 또는 강압 요소이거나 ILO 강제노동 지표로, clew가 공개한 규칙으로 이 대상을 위해 또는 이 대상의 현장에서 일한 노동자들의 증언에서 찾아낸 것입니다. 각 주장에는 근거가 된 증거물과 그렇게 말한 증언자 수를 적습니다. 한 증언자의 면담 두 번은 한 번으로 셉니다.
dossier-claims-none = 이 대상 독자에게 보여 줄 수 있는 주장이 없습니다.
dossier-family = { $family ->
    [involuntariness] 비자발성 (ICLS 2018)
    [coercion] 강압 (ICLS 2018)
   *[other] ILO 강제노동 지표
}
dossier-witnesses = 증언자 { $count }명
dossier-single-source = 단일 출처
dossier-exhibits-cited = 증거물: { $list }
dossier-more = 외 { $count }건
dossier-translation = 번역
dossier-matrix = 교차 확인
dossier-matrix-intro = 어느 증거물이 어느 주장을 뒷받침하는지(●).
dossier-matrix-too-wide = 증거물이 { $count }건이라 표가 너무 넓어 싣지 않습니다. 위의 각 주장에 증거물이 적혀 있고, manifest.json에 모두 들어 있습니다.
dossier-timeline = 연표
dossier-timeline-intro = 연도별로 이 대상을 위해 또는 그 현장에서 일했다고 말하는 증거물 수와, 증거물이 말하는 허가 발급 수.
dossier-year = 연도
dossier-working = 노동을 말하는 증거물
dossier-permits = 발급된 허가
dossier-marker = { $date }: { $instrument }, { $reference }
dossier-sites = 현장
dossier-sites-coarsened = 증거물의 증언자들이 일한 지역입니다. 위치는 0.1도 단위로 반올림했습니다.
dossier-sites-exact = 증거물의 증언자들이 일한 현장입니다.
dossier-place = 장소
dossier-network = 관계망
dossier-network-intro = 증거물이 말하는 대로, 누가 노동자를 보냈고, 누가 어디에서 고용했으며, 누가 감시했는지. 이 독자가 볼 수 없는 이름은 비공개로 표시합니다.
dossier-link = { $kind ->
    [dispatched] 노동자를 보낸 곳:
    [employed_at] 노동자를 고용한 현장:
   *[other] 노동자를 감시한 현장:
}
dossier-withheld = (비공개)
dossier-ledger = 임금
dossier-ledger-intro = 이 대상에서의 증거물 근로 기간 임금 장부를 기간 전체에 걸친 미국 달러로 합산했습니다. 증언은 노동자의 무작위 표본이 아니므로, 이 합계는 모든 노동자가 아니라 수집된 증언을 설명합니다.
dossier-ledger-held = 임금 장부는 보류합니다. 임금이 코딩된 증언자가 { $k }명 미만입니다.
dossier-ledger-none = 증거물에 코딩된 임금이 없습니다.
dossier-revenue = 이 대상에 귀속되는 국가 수입
dossier-revenue-intro = 증거물이 이 대상에서 기록한 노동에서 국가가 가져간 금액입니다. 증언자들이 그곳에서 일한 개월 수에 임금 장부상 노동자 1인 1개월당 국가 몫으로 공제된 평균 금액(충성자금 등)을 곱했으며, 증언자 단위 재표본추출로 95% 구간을 구했습니다. 이는 하한입니다. 증거물은 이 대상의 모든 노동자를 세지 않으며, 장부가 없는 개월도 장부가 있는 개월과 같다고 보았습니다.
dossier-revenue-months = 기록된 노동자·개월
dossier-revenue-per-month = 노동자 1인 1개월당 국가 몫(평균)
dossier-revenue-total = 귀속 총액(평균)
dossier-revenue-small = 국가 몫을 말하는 증언자가 30명 미만입니다. 이 구간은 큰 의미가 없습니다.
dossier-revenue-none = 제시된 임금 장부 중 국가가 가져간 금액을 보여 주는 것이 없습니다.
dossier-pdf-more = 증언자가 더 적은 나머지 { $count }개 행은 dossier.html에 있습니다.
dossier-legal = 관련 법규
dossier-legal-intro = 아래 각 법규와 그에 관련된 증거입니다. 요약은 독자를 위한 안내일 뿐 법률 의견이 아니며, 각 법규의 원문은 출처에 있습니다.
dossier-legal-exhibits = 관련 증거물 { $count }건.
dossier-legal-codes = 주장: { $codes }
dossier-adopted = { $date } 채택.
dossier-held = 보류한 내용
dossier-held-intro = 이 보고서가 독자를 위해 뺀 것과 그 이유입니다. 그 내용은 적지 않습니다.
dossier-held-consent = 증언 { $count }건: 증언자의 동의가 이 독자를 포함하지 않습니다.
dossier-held-few = “{ $claim }”의 근거 증언 { $count }건: 한 현장에서 한 달에 증언자가 { $k }명 미만입니다.
dossier-held-ledger = 임금 장부: 증언자 { $count }명, { $k }명 미만.
dossier-held-none = 보류한 것이 없습니다.
dossier-exhibit-list = 증거물 목록
dossier-exhibit-intro = 증거물 하나는 증언 하나입니다. SHA-256은 이 독자를 위한 그 증언의 증거 패키지에 든 자료 파일(material/testimony.json)의 해시입니다. 팀은 `clew package export`로 패키지를 만들고, 누구나 sha256sum으로 해시를 확인할 수 있습니다. 관리 기록 사건 번호는 프로젝트 기록의 번호이며, 서명된 트리 헤드가 이를 증명합니다.
dossier-exhibit = 증거물
dossier-period = 기간
dossier-witness = 증언자
dossier-testimony = 증언
dossier-events = 관리 기록 사건
dossier-no-material = 이 독자를 위한 자료 없음
dossier-made-from = 이 보고서를 만든 방법
dossier-made-from-intro = clew가 아래의 규칙과 분류 체계로 증언을 평가했습니다. manifest.json에 이 보고서의 근거가 적혀 있어 다시 만들고 비교할 수 있습니다.
dossier-made-version = 버전
dossier-made-statements = 읽은 진술
dossier-held-links = 관계망의 연결 { $count }개: 각 연결을 말하는 증언자가 { $k }명 미만입니다.
entity-dossier = 보고서
entity-dossier-link = 이 대상에 대한 보고서 만들기
entity-dossier-intro = 한 독자를 위한 이 대상의 보고서를 저장·인쇄·전송할 수 있는 HTML 파일 하나로 만듭니다. 각 주장과 그 증거물, 관련 법규, 그 독자를 위해 보류한 것과 이유가 담깁니다. 만든 보고서는 모두 관리 기록에 남습니다. 귀하의 역할로 만들 수 있는 보고서:
dossier-legal-few = 관련 증거물이 { $k }건 미만입니다.
dossier-held-few-total = 증언 { $count }건의 일부 또는 전부: 주장의 근거가 한 현장에서 한 달에 증언자 { $k }명 미만입니다.
dossier-held-places = 장소 { $count }곳: 각 장소에서 일한 증언자가 { $k }명 미만입니다.

## Sanctions brief
brief-title = 제재 브리핑: 러시아의 북한 노동자
brief-synthetic = 가상 데이터입니다. 이 브리핑의 모든 사람, 회사, 장소는 clew 데모가 만든 허구이며 누구도 고발하지 않습니다.
brief-intro = 유엔 안전보장이사회 결의 2375호와 2397호 이행 감시를 위해 프로젝트의 증언이 말하는 내용입니다. 송환 시한 이후 러시아에서 일한 사람, 그들이 받은 허가, 그들을 고용하고 파견한 곳, 그리고 국가가 벌어들인 수입을 다룹니다. 모든 수는 증언자 수이며, 한 증언자의 두 차례 면담은 한 번으로 셉니다. 증언은 노동자의 무작위 표본이 아니므로, 이 수는 모든 노동자가 아니라 수집된 증언을 설명합니다.
brief-since = { $month }부터의 노동과 허가만 포함합니다.
brief-count-witnesses = 시한 이후 일한 증언자
brief-count-testimonies = 읽은 증언
brief-count-bodies = 제시된 고용주와 파견 기관
brief-deadline = 송환 시한 이후의 노동
brief-deadline-intro = 결의 2397호 8항은 해외에서 소득을 올리는 모든 북한 국적자를 { $date }까지 송환하도록 요구했습니다. 이 증언자들은 북한 국적자로서 그 이후에도 러시아에서 일했습니다.
brief-by-year = 시한 이후 러시아에서 일한 증언자(연도별)
brief-witnesses = 증언자
brief-sector = 업종
brief-sector-none = (코딩되지 않음)
brief-spells = 시한 이후의 근로 기간: { $count }건.
brief-unplaced = 세지 않은 근로 기간: { $count }건(증언자의 국적이나 근로 국가가 코딩되지 않음).
brief-permits = 신고된 목적별 허가
brief-permits-intro = 증언자들이 받은 허가를 발급 연도와 신고된 목적별로 보여 줍니다. 일하는 사람이 가진 "유학" 허가는 취업 경로가 막힌 뒤 쓰인 경로입니다.
brief-permits-after = { $date } 이후(결의 2375호 17항) 허가가 발급된 증언자: { $count }명.
brief-permits-none = 코딩된 허가가 없습니다.
brief-bodies = 고용주와 파견 기관
brief-bodies-intro = 각 기관을 언급한 증언자, 시한 이후 그곳에서 일했거나 그곳이 파견한 증언자, 증언상 그곳에서의 노동이 확인되는 마지막 해, 그리고 심사한 제재 목록상의 상태를 보여 줍니다. 일치는 확인할 단서이지 결론이 아닙니다. 일치가 없는 기관은 지정 검토 대상이 될 수 있습니다.
brief-role = { $role ->
    [dispatcher] 파견 기관
   *[other] 고용주
}
brief-role-heading = 역할
brief-name = 이름
brief-after = 시한 이후
brief-last-year = 마지막 해
brief-lists = 제재 목록
brief-unlisted = 심사한 목록에 일치 없음
brief-bodies-held = 보류: 증언자 { $k }명 미만이 언급했거나 이 대상이 이름을 읽을 수 없는 고용주·기관 { $count }곳.
brief-bodies-none = 이 대상에게 보여 줄 수 있는 고용주나 파견 기관이 없습니다.
brief-revenue = 수입 추정
brief-revenue-intro = 프로젝트에 보관된, 러시아 내 노동자로부터 국가가 얻는 수입의 최신 추정으로, 연간 미국 달러와 95% 구간입니다. 각 추정은 clew estimate revenue로 만들었고, 그 보고서에 근거가 있습니다.
brief-revenue-none = 프로젝트에 보관된 수입 추정이 없습니다(clew estimate revenue … --keep "제목"으로 보관).
brief-revenue-outside = 팀의 수입 추정은 증언자의 동의와 관계없이 모든 증언의 임금 장부를 사용하므로 이 대상용 브리핑에는 넣지 않습니다. 대신, 이 대상이 받을 수 있는 증언의 임금 장부에서 국가가 노동자 1인 1개월당 가져간 금액(충성자금 등 국가 몫으로 보는 공제)을 미국 달러로, 증언자 단위 재표본추출에 의한 95% 구간과 함께 보여 줍니다.
brief-take = 노동자 1인 1개월당 국가 몫(평균)
brief-take-none = 국가 몫을 말하는 증언자가 30명(또는 설정된 수) 미만이어서 수치를 제시하지 않습니다.
brief-kept = 추정 { $number }: { $title } ({ $date } 보관)
brief-legal = 관련 법규
brief-legal-intro = 이 사실들과 관련된 법규입니다. 요약은 독자를 위한 안내이며 법률 의견이 아닙니다. 각 법규의 원문은 출처에 있습니다.
brief-method = 작성 방법
brief-left-out = 증언자의 동의가 이 대상을 포함하지 않아 제외한 증언: { $count }건.
brief-coarsened = 이 대상에게는 { $k } 미만의 수를 "< { $k }"로 표시하고, 증언자 { $k }명 미만이 언급한 고용주나 기관은 보류합니다.
brief-exact = 수를 그대로 표시합니다. 이 브리핑은 팀 또는 법원용입니다.
