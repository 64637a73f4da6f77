# Сообщения веб-приложения на русском. Каждый id из en.ftl должен быть и здесь (это проверяет сборка).

## Layout
nav-label = Главное меню
nav-dashboard = Сводка
nav-entities = Объекты
nav-log = Журнал хранения
language-label = Язык
account-password = Сменить пароль
sign-out = Выйти
footer-protected = Личности свидетелей запечатаны для хранителей и здесь никогда не показываются: хранитель открывает их на своём компьютере через командную строку clew.
back-home = Вернуться к сводке
page-next = Следующая страница
page-older = Более ранние события

## Roles
role-admin = администратор
role-custodian = хранитель
role-coder = кодировщик
role-analyst = аналитик
role-viewer = читатель

## Errors
error-title = Что-то пошло не так
error-internal = Внутри clew произошёл сбой. Ваши действия его не вызвали.
error-request-id = Если это повторится, сообщите администратору номер запроса: { $id }
error-invalid = Запрос не принят:
error-not-found = Не найдено:
error-unauthenticated = Вы не вошли в систему, или сеанс завершился:
error-forbidden = Ваша роль этого не позволяет.
error-busy = Проект занят; ничего не записано. Попробуйте ещё раз через минуту.
error-conflict = Это противоречит тому, что хранится в проекте:
error-rate-limited = Слишком много попыток.
error-rate-limited-for = Слишком много неудачных попыток входа. Попробуйте снова через { $minutes } мин.
error-too-large = Запрос слишком велик.
error-timeout = Сервер слишком долго не отвечал; попробуйте ещё раз.
error-page-not-found = Такой страницы нет.
error-method = Эта страница не принимает такой запрос.
error-malformed = Запрос не удалось прочитать: поле формы или параметр имеет неверный вид.
error-foreign-form = Эта форма пришла не со страниц clew, поэтому она отклонена и ничего не изменено. Откройте страницу заново и отправьте форму оттуда.
error-sign-in-first = Сначала войдите в систему.
error-change-password-first = Сначала смените одноразовый пароль.

## Signing in
sign-in-title = Вход
sign-in = Войти
sign-in-name = Имя учётной записи
sign-in-password = Пароль
sign-in-code = Код из приложения-аутентификатора
sign-in-code-hint = Только для администраторов и хранителей: шесть цифр, которые приложение показывает сейчас.
sign-in-missing = Введите имя учётной записи и пароль.
sign-in-refused = Имя учётной записи, пароль или код неверны, либо учётная запись отключена.

## Password
password-temporary = Вы вошли с одноразовым паролем. Прежде чем продолжить, выберите собственный.
password-current = Текущий пароль
password-new = Новый пароль
password-rule = Не менее { $min } символов и не совпадает с текущим.
password-repeat = Новый пароль ещё раз
password-change = Сменить пароль
password-needs-session = Пароль меняют из браузера, в котором выполнен вход, а не с API-токеном.
password-mismatch = Два новых пароля не совпадают.
password-refused = Новый пароль слишком короткий, слишком длинный или совпадает с текущим.
password-wrong = Текущий пароль неверен.

## Dashboard
dashboard-title = Сводка
dashboard-counts = Что хранится в проекте
dashboard-entities-by-schema = Объекты по видам
dashboard-recent-events = Последние события журнала хранения
dashboard-whole-log = Весь журнал хранения
count-testimonies = { $count ->
    [one] { $count } свидетельство
    [few] { $count } свидетельства
   *[many] { $count } свидетельств
}
count-testimonies-label = Свидетельства
count-entities-label = Объекты
count-statements-label = Утверждения
count-segments-label = Фрагменты рассказа
synthetic-notice = В этом проекте синтетические демонстрационные данные: все люди, компании и свидетельства в нём вымышлены.

## Schemata
schema-person = Человек
schema-company = Компания
schema-public-body = Государственный орган
schema-worksite = Объект работ

## Tables
column-schema = Вид
column-count = Число
column-name = Название
column-when = Когда
column-who = Кто
column-what = Что
column-detail = Подробности
column-property = Свойство
column-value = Значение
column-sources = Источников, сообщающих это
column-evidence = Доказательства

## Entities
entities-title = Объекты
entities-all = Все
entities-none = Нет объектов для показа.
entity-schema-conflicts = Источники расходятся в том, что это такое:
protected-notice = Показаны только утверждения, которые разрешено читать вашей роли. Защищённые данные сервер никогда не показывает.

## Custody log
log-title = Журнал хранения
log-intro = Каждое изменение проекта, каждый вход и каждый экспорт, новые сверху. Каждое событие включено в цепочку, подделку которой выявляет `clew verify`.

## Map
nav-map = Карта
map-title = Карта объектов работ и мест проживания
map-intro = Места, координаты которых есть в проекте. Выберите точку, чтобы открыть её страницу.
map-places = мест здесь: { $n }
map-worksite = объект работ
map-accommodation = место проживания
map-other = другое место
map-mixed = места разных видов
map-outside = Нет на карте (вне показанного района):
map-none = Ни у одного доступного вам места нет координат.
map-list = Места на карте
map-source = Основа карты: Natural Earth (общественное достояние), входит в clew; из интернета ничего не загружается.

## Verification
nav-verify = Проверка
verify-title = Проверка журнала хранения
verify-intro = Пересчитывает, как `clew verify`, каждое событие журнала, утверждения, записи и защищённые блоки, за которые поручилась каждая запись, запечатанный файл каждого вложения и каждый хранимый список. Содержимое вложений проверяется только ключом хранителя, на его собственном компьютере.
verify-never = После запуска сервера проверка ещё не выполнялась.
verify-running = Запущена пользователем { $who } { $seconds } с назад.
verify-step-events = Прочитано событий журнала: { $count }.
verify-step-records = Пересчёт того, за что поручилась каждая запись.
verify-step-attachments = Проверка вложений.
verify-step-lists = Проверка решений и хранимых списков.
verify-clean = Всё сходится (событий: { $events }; запустил { $who }, завершено { $when }).
verify-problems = Найдено проблем: { $count } (запустил { $who }, завершено { $when }):
verify-tree-head = Вершина дерева
verify-attachments = Проверено вложений
verify-open-to-others = Файлов или папок проекта, доступных другим пользователям компьютера сервера для чтения или записи: { $count }; подробности покажет `clew verify`, запущенная там.
verify-failed = Проверку, запущенную пользователем { $who }, не удалось завершить:
verify-start = Проверить сейчас

## Testimonies
nav-testimonies = Свидетельства
testimonies-title = Свидетельства
testimonies-found = { $count ->
    [one] Подходит { $count } свидетельство.
    [few] Подходят { $count } свидетельства.
   *[many] Подходят { $count } свидетельств.
}
facet-sector = Отрасль
facet-region = Регион
facet-year = Год
facet-visa = Визовый канал
facet-outcome = Оценка
facet-coder = Кодировщик
filter-any = все
filter-apply = Отобрать
filter-clear = Сбросить отбор
column-interview = Интервью
testimony-language = Язык интервью
testimony-imported = Импортировано
testimony-withdrawn = Согласие отозвано
testimony-segments = Слова свидетеля и то, что из них закодировано
testimony-apart = Факты без ссылки на фрагмент
segment-original = Оригинал
segment-translation = Перевод
segment-coded = Закодировано
segment-hidden = Слова свидетеля вашей роли не показываются.
statement-superseded = заменено пользователем { $who } { $when }
fact-add = Добавить факт
fact-correct = Исправить
fact-entity = id объекта
fact-schema = Вид (для нового объекта)
fact-schema-hint = Person, Company, Worksite... Для существующего объекта оставьте пустым.
fact-property = Свойство
fact-value = Значение
fact-note = Примечание (почему)
field-segment = Фрагмент
field-replaces = Заменяет
field-whole = Запрос в целом
fact-missing = Поле «{ $field }» отсутствует или имеет неверный вид.
error-malformed-json = Тело JSON не удалось прочитать: { $detail }
error-parameter = Параметр «{ $name }» имеет неверный вид.

## Search
nav-search = Поиск
search-title = Поиск
search-label = Имя, в любой письменности
search-button = Искать
search-empty-query = Укажите имя для поиска в параметре q, в любой письменности.
search-hint = Корейское, русское и латинское написания одного имени находят друг друга.
search-found = { $count ->
    [one] Найден { $count } объект.
    [few] Найдено { $count } объекта.
   *[many] Найдено { $count } объектов.
}
search-matched = Совпавшее имя
search-score = Оценка
search-why = Почему

## Linkage review
nav-review = Проверка связей
review-title = Проверка связей
review-intro = Пары, в которых модель меньше всего уверена, что это одно и то же. Ваше решение записывается в журнал, и следующее связывание ему следует.
review-none = Нет пар, ожидающих решения.
review-weight = Вес совпадения
review-comparison = Сравнение
review-level = Уровень
review-part = Вес
verdict-same = Одно и то же
verdict-different = Разные
verdict-unsure = Не уверен

dashboard-viewer = Ваша роль читает то, что можно публиковать: откройте свидетельства, объекты, поиск или карту.
entity-more-evidence = { $count ->
    [one] и ещё { $count } утверждение (все — в JSON: /api/v1/entities/…)
    [few] и ещё { $count } утверждения (все — в JSON: /api/v1/entities/…)
   *[many] и ещё { $count } утверждений (все — в JSON: /api/v1/entities/…)
}
nav-estimates = Оценки
estimates-title = Оценки
estimates-intro = Оценки, сохранённые в проекте, от новых к старым: сколько людей пропустили пересекающиеся списки и какой доход государство получает от своих работников. У каждой — цифры с интервалами и диаграмма, построенная при расчёте; полный отчёт — в JSON. Сохранить оценку: `clew estimate population … --keep "НАЗВАНИЕ"` или `clew estimate revenue … --keep "НАЗВАНИЕ"`.
estimates-none = В этом проекте пока нет сохранённых оценок.
estimate-kind-population = Оценка численности
estimate-kind-revenue = Оценка дохода
estimate-kept = { $kind }; сохранил(а) { $who }, { $when }
estimate-synthetic = СИНТЕТИЧЕСКИЕ ДАННЫЕ: получено из вымышленных данных демо. Эти цифры не описывают ни одного реального человека или компании.
estimate-method = Метод
estimate-basis = Основа
estimate-figure = Оценка
estimate-interval = Интервал
estimate-range = { $low } – { $high } ({ $level }-процентный интервал)
estimate-unbounded = без верхней границы
estimate-usd = { $amount } долл. США в год
estimate-quota-based = По квотам (суммы, которые работники обязаны сдавать)
estimate-wage-based = По зарплате (доля зарплаты, которую забирает государство)
estimate-chart-alt = Диаграмма: { $title }
estimate-report = Полный отчёт (JSON)
dashboard-estimates = Последние оценки
dashboard-all-estimates = Все сохранённые оценки
dashboard-assessment = Что показала оценка признаков
dashboard-assessed = { $spells ->
    [one] { $spells } период работы
    [few] { $spells } периода работы
   *[many] { $spells } периодов работы
} из { $testimonies ->
    [one] { $testimonies } свидетельства
    [few] { $testimonies } свидетельств
   *[many] { $testimonies } свидетельств
} оценены по встроенным правилам. Свидетельства не случайная выборка: эти доли описывают свидетельства, а не всех работников.
dashboard-outcomes = Периоды работы по итогу МКСТ 2018
dashboard-indicators = Периоды работы с каждым индикатором принудительного труда МОТ
indicator-vulnerability = Злоупотребление уязвимостью
indicator-deception = Обман
indicator-movement = Ограничение свободы передвижения
indicator-isolation = Изоляция
indicator-violence = Физическое и сексуальное насилие
indicator-threats = Запугивание и угрозы
indicator-documents = Удержание документов, удостоверяющих личность
indicator-wages = Удержание заработной платы
indicator-debt = Долговая кабала
indicator-conditions = Оскорбительные условия труда и жизни
indicator-overtime = Чрезмерная сверхурочная работа

## Assessment and wage ledgers
nav-ledgers = Зарплатные ведомости
assessment-title = Оценка
assessment-intro = Каждый период работы так, как его оценивают встроенные правила (правила { $rules }, таксономия { $taxonomy }): по определению МКСТ 2018 года период работы — принудительный труд, если в нём выявлены и недобровольность, и принуждение; рядом — схема МОТ 2012 года с сильными и средними индикаторами. Используются только факты, которые может читать ваша роль. Обоснования приведены словами самих правил.
assessment-withdrawn = Свидетель отозвал согласие на любое использование: это свидетельство не анализируется.
assessment-none = В этом свидетельстве не закодировано ни одного периода работы, который может читать ваша роль.
assessment-spell = Период работы
assessment-period = Сроки
assessment-icls = МКСТ 2018
assessment-ilo = МОТ 2012
assessment-findings = Что выявлено в { $spell }
assessment-rule = Правило { $rule }: { $summary }
assessment-segment = фрагмент { $segment }
assessment-contradiction = Закодировано с разными значениями ({ $property } у { $entity }): { $values }
outcome-label = { $code ->
    [FL] принудительный труд
    [INV_ONLY] недобровольность без зафиксированного принуждения
    [COE_ONLY] принуждение без зафиксированной недобровольности
    [NONE] ни одно из измерений не зафиксировано
    [NO_STRONG] зафиксированы обе стороны, но нет сильного индикатора
   *[other] не определено (закодировано слишком мало)
}
code-family = { $family ->
    [involuntariness] недобровольность
    [coercion] принуждение
   *[other] индикатор МОТ
}
code-strength = { $strength ->
    [strong] сильный
   *[other] средний
}
ledger-title = Зарплатная ведомость
ledger-intro = Для каждого периода работы: обещанная зарплата, сколько заплатил работодатель и кому, каждый вычет и что дошло до работника и когда. Суммы приведены так, как их назвал свидетель; в доллары США они пересчитаны помесячно по таблице курсов проекта.
ledger-none = В этом свидетельстве не закодировано ни одной зарплаты, которую может читать ваша роль.
ledger-item = Статья
ledger-amount = Как названо
ledger-usd = В долларах США
ledger-promised = Обещано
ledger-employer-paid = Заплатил работодатель
ledger-paid-to = получатель: { $name }
ledger-deducted = Вычет: { $kind }
ledger-taken-by = забрал: { $name }
ledger-share = { $share } зарплаты
ledger-received = Дошло до работника
ledger-owed = Причиталось работнику
ledger-not-coded = не закодировано
ledger-flags = Не сходится:
ledger-rates = Курсы: { $sources }
ledger-missing = У сумм в { $currency } между { $first } и { $last } нет эквивалента в долларах США за месяцы, которых нет в таблице курсов: не хватает { $months ->
    [one] { $months } месяца
   *[other] { $months } месяцев
}.
amount-per = { $period ->
    [month] { $amount } в месяц
    [year] { $amount } в год
    [total] { $amount } всего
    [day] { $amount } в день
    [hour] { $amount } в час
   *[other] { $amount }
}
paid-when = { $when ->
    [monthly] ежемесячно
    [irregular] нерегулярно
    [on_return] только по возвращении домой
    [never] так и не выплачено
   *[other] когда — неизвестно
}
deduction-kind = { $kind ->
    [loyalty_fee] Взнос верности
    [plan_quota] Плановое задание
    [party_contribution] Партийный взнос
    [lodging] Жильё
    [food] Питание
    [voluntary_contribution] «Добровольный» взнос
    [fine] Штраф
    [tax] Налог
    [insurance] Страховка
   *[other] Прочее
}
ledgers-title = Зарплатные ведомости
ledgers-intro = Зарплатные ведомости всех периодов работы в свидетельствах проекта, в долларах США за каждый период целиком, составленные из фактов, которые может читать ваша роль. Свидетельства — не случайная выборка работников: эти суммы описывают собранные свидетельства, а не всех работников.
ledgers-synthetic = СИНТЕТИЧЕСКИЕ ДАННЫЕ
ledgers-none = В проекте не закодировано ни одной зарплаты, которую может читать ваша роль.
ledgers-spells = Периоды работы
ledgers-converted = Периоды с суммами в долларах США
ledgers-flagged-count = Ведомости, которые не сходятся
ledgers-share-taken = Доля, забранная вычетами
ledgers-chart = Куда ушли выплаты работодателей, в долларах США
ledgers-owed-on-return = Причиталось, к выплате по возвращении домой
ledgers-never-paid = Причиталось, так и не выплачено
ledgers-unconverted = { $count ->
    [one] { $count } сумма не имеет эквивалента в долларах США и не вошла в итоги.
    [few] { $count } суммы не имеют эквивалента в долларах США и не вошли в итоги.
   *[many] { $count } сумм не имеют эквивалента в долларах США и не вошли в итоги.
}
ledgers-flags = Что не сходится и как часто
ledgers-flagged = Ведомости, которые не сходятся
ledgers-more-flagged = Показаны первые { $shown } из { $count }; все перечисляет `clew ledger --json`.
ledgers-missing = Месяцы без курса
column-currency = Валюта
column-from = С
column-to = По
column-months = Месяцев
column-share = Доля от выплат работодателей

## Entity page: relations, sanctions matches, corroboration
entity-relations = Связи
entity-relations-intro = Объекты, связанные с этим: те, которые называют его утверждения, и те, чьи утверждения называют его — напрямую или через связь между ними (трудоустройство, направление на работу, надзор). Показаны только связи из утверждений, доступных вашей роли.
entity-relations-none = Нет связей, доступных вам.
entity-graph-title = Связи объекта «{ $name }»
entity-graph-legend = Сплошная линия: этот объект называет другой. Пунктир: другой объект или связь между ними называет этот объект. Синяя подпись открывает саму связь.
entity-relations-drawn = { $total ->
    [one] На схеме { $drawn } из { $total } связи; см. список ниже.
   *[other] На схеме { $drawn } из { $total } связей; см. список ниже.
}
entity-relations-more = { $count ->
    [one] и ещё { $count } связь, не перечисленная здесь (JSON этой страницы, /api/v1/entities/…, перечисляет первые { $kept })
    [few] и ещё { $count } связи, не перечисленные здесь (JSON этой страницы, /api/v1/entities/…, перечисляет первые { $kept })
   *[many] и ещё { $count } связей, не перечисленных здесь (JSON этой страницы, /api/v1/entities/…, перечисляет первые { $kept })
}
entity-relations-capped = Этот объект называют больше утверждений, чем было прочитано для этой страницы: счёт охватывает только прочитанные.
entity-relation-outgoing = этот объект называет его
entity-relation-incoming = он называет этот объект
entity-relation-through = связь называет оба
column-link = Вид связи
column-direction = Направление
entity-matches = Совпадения с санкционными списками
entity-matches-intro = Кандидаты, найденные для этого объекта сверкой со списками, хранящимися в проекте (`clew screen --record`): зацепки для проверки человеком, а не вывод о том, что объект внесён в список.
column-list = Список
column-list-version = Версия списка
entity-sources-note = «Источников, сообщающих это» — число разных источников (показаний, документов, списков), в которых указано каждое значение. Два интервью одного свидетеля считаются двумя источниками: прочтите доказательства, прежде чем принимать совпадение за независимое подтверждение.
schema-employment = Трудоустройство
schema-dispatch = Направление на работу
schema-supervision = Надзор
schema-payment = Выплата
schema-deduction = Удержание
schema-housing = Проживание
schema-permit = Разрешение
schema-accommodation = Жильё
schema-testimony = Показания
schema-sanctions-match = Совпадение с санкционным списком
reason-no-segment = В этом свидетельстве нет фрагмента { $segment }.
reason-kind-mismatch = { $entity } — это { $kind }; он не может быть также { $given }.
reason-derived-id = Идентификатор нового объекта не может содержать «{ $mark }» (clew использует его в своих идентификаторах).
reason-kind-needed = { $entity } — новый объект: укажите его вид.
reason-kind-too-general = «{ $kind }» — слишком общий вид: выберите вид под ним.
reason-unknown-kind = Вида «{ $kind }» нет.
reason-unknown-property = У вида { $kind } нет свойства «{ $property }».
reason-written-by-clew = «{ $property }» записывает сам clew (пояснения пишите в примечание).
reason-too-long = Не более { $max } символов.
reason-bad-value = Это значение не подходит для «{ $property }» (ожидается: { $kind }).
reason-no-entity = В проекте нет объекта вида { $kind } «{ $entity }», который мог бы здесь стоять.
reason-not-replaceable = { $statement } — не тот факт этого свидетельства, который можно заменить.
reason-one-entity = Вы выбрали { $entity } дважды: для пары нужны два объекта.
reason-never-compared = { $a } и { $b } относятся к видам, которые никогда не сравниваются.

dashboard-safe-line = Безопасная линия
dashboard-safe-line-unread = Непрочитанных писем: { $count }.
dashboard-safe-line-how = Читайте и отвечайте через `clew inbox` своим ключом сотрудника: эта страница никогда не показывает, что кто-то написал.

## The safe line (its own listener; senders' pages). Titles stay neutral: a browser's history shows them.
line-title = Заметки
line-exit = Быстрый выход
line-heading = Напишите нам
line-intro = То, что вы здесь напишете, получат только сотрудники организации, которая дала вам этот адрес. Сообщение запирается сразу по получении, до сохранения: открыть его могут только они, а не те, кто обслуживает этот сервер.
line-safety-heading = Прежде чем писать
line-safety-tab = Откройте приватную вкладку (режим инкогнито) и закройте её, когда закончите.
line-safety-photos = В фотографиях записаны место и время съёмки. Отправляйте только то, что сможете потом удалить с телефона. Мы удаляем эти сведения перед чтением, а оригинал храним запертым как доказательство.
line-safety-code = Если вы хотите получить ответ, вы получите код. Запомните его или храните там, куда никто не заглядывает: 16-значный код можно сохранить как номер телефона. Потерянный код не может восстановить никто, даже мы.
line-safety-exit = Если кто-то подойдёт, нажмите «Быстрый выход» вверху страницы.
line-safety-trace = Мы не записываем ваш адрес, данные телефона и время суток: только день, когда пришло сообщение.
line-message = Ваше сообщение
line-files = Фотографии или документы (до { $count } файлов, до { $size } МБ каждый)
line-answer = Можно вам ответить?
line-answer-none = Нет, только это сообщение
line-answer-digits = Да, дайте мне код из 16 цифр
line-answer-words = Да, дайте мне шесть слов
line-send = Отправить
line-have-code-heading = У вас есть код
line-have-code-intro = Введите код, чтобы прочитать наши ответы и написать снова.
line-code = Ваш код
line-open = Открыть
line-sending = Отправка: часть { $done } из { $total }…
line-unreachable = Сейчас связи нет. Уже отправленное сохранено: нажмите кнопку позже, чтобы продолжить.
line-sent-heading = Ваше сообщение получено
line-sent-no-answer = Мы не можем ответить: вы не попросили код. Вы всегда можете написать снова.
line-code-heading = Ваш код
line-code-keep = Запомните этот код. С ним вы прочитаете наши ответы и сможете написать снова. Если он потеряется, его не восстановит никто, даже мы.
line-conversation-heading = Ваша переписка
line-conversation-opened = Начата { $day }. Отправлено сообщений: { $count }.
line-no-replies = Ответа пока нет. Зайдите позже со своим кодом.
line-reply-day = Наш ответ от { $day }
line-older-replies = Более ранние ответы здесь не показаны: на странице помещаются только последние.
line-write-more = Написать снова
line-refused-heading = Сообщение не отправлено
line-back = Назад
line-busy = Сейчас приходит слишком много сообщений. Подождите час и попробуйте снова.
line-failed = У нас что-то сломалось, сообщение не сохранено. Попробуйте позже.
line-not-found = Такой страницы здесь нет.
reason-line-empty = Сообщение пустое: напишите что-нибудь или добавьте файл.
reason-line-text-too-long = Сообщение слишком длинное: не больше { $limit } байт.
reason-line-too-many-files = Слишком много файлов: не больше { $limit }.
reason-line-file-too-large = Файл слишком большой: не больше { $limit } МБ каждый.
reason-line-closed = Эта линия ещё не открыта: ваше сообщение некому прочитать. Попробуйте позже.
reason-line-unknown-code = Этот код ничего не открывает. Проверьте его и попробуйте снова.
reason-line-conversation-full = В этой переписке больше нет места. Начните новую без кода.
icls-code = { $code ->
    [INV01] несвободный наём с рождения или через сделку, например рабство или кабальный труд
    [INV02] работа иного характера, чем оговорено при найме, без согласия работника
    [INV03] неоговорённые с работодателем требования сверхурочной работы или работы по вызову
    [INV04] работа в опасных условиях, на которые работник не соглашался
    [INV05] работа за очень низкую плату или без оплаты
    [INV06] унижающие достоинство условия жизни, навязанные работодателем
    [INV07] работа на других работодателей, чем было оговорено
    [INV08] работа дольше оговорённого срока
    [INV09] работа без свободы или с ограниченной свободой расторгнуть договор
    [COE01] угрозы или насилие в отношении работников, их семей, родственников или близких
    [COE02] ограничение передвижения работников
    [COE03] долговая кабала или манипуляция долгом
    [COE04] удержание заработной платы или других обещанных выплат
    [COE05] изъятие ценных документов (удостоверений личности, видов на жительство)
    [COE06] использование уязвимости работников: лишение прав или льгот, угрозы увольнением или высылкой
   *[other] { $label }
}
dossier-title = Досье: { $name }
dossier-synthetic = СИНТЕТИЧЕСКИЕ ДАННЫЕ. Все люди, компании и места в этом досье вымышлены демонстрационным режимом clew; досье никого не обвиняет.
dossier-audience = Подготовлено для: { $audience ->
    [internal] группа документирования (внутреннее: не выносить за пределы группы)
    [un] органы ООН
    [monitors] органы мониторинга санкций
    [prosecutor] прокуратура и суды
   *[other] публикация
}
dossier-made = Составлено по доказательствам в том виде, в каком журнал хранения проекта был на событии { $seq } (записано { $time }).
dossier-coarsened = Свидетели обозначены только номерами доказательств. Периоды указаны с точностью до месяца, места — до региона. Утверждение, за которым стоит меньше { $k } свидетелей на одном объекте в один месяц, не приводится (см. «Не включено»).
dossier-exact = Периоды и объекты указаны так, как закодированы. Свидетели обозначены только номерами доказательств.
dossier-pseudonyms = Псевдонимы свидетелей показаны: это досье только для группы.
dossier-contents = Содержание
dossier-count-claims = Утверждения
dossier-count-exhibits = Доказательства
dossier-count-held = Не вошедшие свидетельства
dossier-entity = Субъект
dossier-kind = Вид
dossier-names = Наименования во всех письменностях
dossier-identifiers = Идентификаторы
dossier-value = Значение
dossier-sources = Источники
dossier-matches = Санкционные списки
dossier-matches-intro = Совпадение — это зацепка для проверки человеком, а не вывод.
dossier-matches-none = Совпадений с санкционными списками для него не записано.
dossier-match-list = Список
dossier-match-entry = Запись
dossier-match-name = Совпавшее имя
dossier-match-score = Оценка
dossier-match-why = Почему
dossier-claims = Утверждения
dossier-claims-intro = Каждое утверждение — это обстоятельство недобровольности или элемент принуждения по определению принудительного труда МКСТ 2018 года либо индикатор принудительного труда МОТ, найденный опубликованными правилами clew в свидетельствах работников, работавших на субъект или на его объектах. Для каждого указаны доказательства, на которых оно основано, и сколько свидетелей это говорят; два интервью одного свидетеля считаются за одно.
dossier-claims-none = Для этой аудитории нет утверждений, которые можно показать.
dossier-family = { $family ->
    [involuntariness] Недобровольность (МКСТ 2018)
    [coercion] Принуждение (МКСТ 2018)
   *[other] Индикаторы принудительного труда МОТ
}
dossier-witnesses = { $count ->
    [one] { $count } свидетель
    [few] { $count } свидетеля
   *[other] { $count } свидетелей
}
dossier-single-source = единственный источник
dossier-exhibits-cited = Доказательства: { $list }
dossier-more = и ещё { $count }
dossier-translation = Перевод
dossier-matrix = Подтверждение
dossier-matrix-intro = Какое доказательство подтверждает какое утверждение (●).
dossier-matrix-too-wide = При { $count } доказательствах таблица слишком широка для печати: у каждого утверждения выше перечислены его доказательства, а manifest.json содержит их все.
dossier-timeline = Хронология
dossier-timeline-intro = По годам: доказательства, говорящие о работе на субъект или на его объектах, и разрешения, выданные, по их словам.
dossier-year = Год
dossier-working = Доказательства о работе
dossier-permits = Выдано разрешений
dossier-marker = { $date }: { $instrument }, { $reference }
dossier-sites = Объекты
dossier-sites-coarsened = Регионы, где работали свидетели; координаты округлены до десятой доли градуса.
dossier-sites-exact = Объекты, где работали свидетели.
dossier-place = Место
dossier-network = Связи
dossier-network-intro = Кто направил работников, кто и где их нанимал и кто за ними надзирал — по словам доказательств. Имя, которое этой аудитории читать нельзя, показано как скрытое.
dossier-link = { $kind ->
    [dispatched] направил работников в
    [employed_at] нанимал работников на объекте
   *[other] надзирал за работниками на объекте
}
dossier-withheld = (скрыто)
dossier-ledger = Заработная плата
dossier-ledger-intro = Зарплатные ведомости периодов работы на субъект, в долларах США за весь период. Свидетельства не являются случайной выборкой работников: эти суммы описывают свидетельства, а не всех работников.
dossier-ledger-held = Ведомость не включена: зарплата закодирована меньше чем у { $k } свидетелей.
dossier-ledger-none = В доказательствах не закодировано ни одной зарплаты.
dossier-legal = Применимое право
dossier-legal-intro = Каждый документ ниже и доказательства, которые к нему относятся. Краткие изложения — пояснение для читателя, а не юридическое заключение; текст каждого документа — по ссылке на источник.
dossier-legal-exhibits = { $count ->
    [one] К нему относится { $count } доказательство.
    [few] К нему относятся { $count } доказательства.
   *[other] К нему относятся { $count } доказательств.
}
dossier-legal-codes = Утверждения: { $codes }
dossier-adopted = Принят { $date }.
dossier-held = Не включено
dossier-held-intro = Что это досье не показывает своей аудитории и почему; но никогда не то, что там сказано.
dossier-held-consent = Свидетельства ({ $count }): согласие свидетелей не распространяется на эту аудиторию.
dossier-held-few = Свидетельства ({ $count }) в основе «{ $claim }»: меньше { $k } свидетелей на одном объекте в один месяц.
dossier-held-ledger = Зарплатная ведомость: свидетелей { $count }, меньше { $k }.
dossier-held-none = Ничего не исключено.
dossier-exhibit-list = Доказательства
dossier-exhibit-intro = Каждое доказательство — одно свидетельство. Его SHA-256 — это хеш файла материалов (material/testimony.json) пакета доказательств этого свидетельства для этой аудитории: группа экспортирует его командой `clew package export`, а любой может проверить хеш с помощью sha256sum. События журнала хранения пронумерованы как в журнале проекта, подписанная вершина дерева которого их доказывает.
dossier-exhibit = Доказательство
dossier-period = Период
dossier-witness = Свидетель
dossier-testimony = Свидетельство
dossier-events = События журнала хранения
dossier-no-material = нет материалов для этой аудитории
dossier-made-from = Как составлено досье
dossier-made-from-intro = clew оценил свидетельства по правилам и таксономии, указанным ниже; manifest.json перечисляет, на чём основано досье, чтобы его можно было составить заново и сравнить.
dossier-made-version = Версия
dossier-made-statements = Прочитано утверждений
dossier-held-links = Связи ({ $count }): о каждой говорят меньше { $k } свидетелей.
entity-dossier = Досье
entity-dossier-link = Составить досье на этот субъект
entity-dossier-intro = Отчёт об этом субъекте для одной аудитории — один HTML-файл, который можно сохранить, распечатать или отправить: каждое утверждение с его доказательствами, применимое право и то, что не включено для этой аудитории, и почему. Каждое составленное досье записывается в журнал хранения. Ваша роль может составлять:
dossier-legal-few = К нему относятся меньше { $k } доказательств.
dossier-held-few-total = Свидетельства ({ $count }), полностью или частично: их вклад в утверждение основан на менее чем { $k } свидетелях на одном объекте в один месяц.
dossier-held-places = Места ({ $count }): на каждом работали меньше { $k } свидетелей.
