/**
 * The built-in data categories, modelled on fideslang's `user.*` tree and extended with
 * what Kazakhstan and Russia need: IIN/BIN, identity cards, SNILS and INN, patronymic, and
 * 94-V's split between public and restricted-access data.
 *
 * Flags, decided once here so every policy gets the same legal reading:
 * - `identifier`: directly identifies a person (contacts, names, account names, state ids);
 * - `special`: GDPR art. 9/10 and 152-FZ art. 10/11 (health, biometrics, beliefs, criminal
 *   records…) — the purpose needs a GDPR art. 9(2) condition;
 * - `restricted`: restricted-access data under 94-V (not publicly available: state ids,
 *   finance, payment, credentials, correspondence, and every special category);
 * - `ccpaSensitive`: CCPA/CPRA "sensitive personal information" (1798.140(ae)), which adds
 *   precise geolocation, credentials, citizenship and message contents to the special list.
 *
 * Each category also has a value type, what the vault accepts as its value (rules in
 * `src/vault/values.ts`); a policy may override it (`valueType`):
 * - a single fact a person writes or picks is `text` (names, usernames, gender, beliefs,
 *   a city), and so is a reference to stored media (photos, recordings) or a device id;
 * - e-mail addresses are `email`, phone numbers `phone`, the date of birth `date`, income
 *   (an amount in the operator's currency) `number`;
 * - a document or registration number is `document`: state ids (IIN and BIN have 12 digits),
 *   account numbers, bank account numbers (IBAN). The number only: to keep a whole
 *   passport record, declare the category with `valueType: json`;
 * - records with several fields or entries are `json`: postal addresses, settings,
 *   histories and logs, telemetry, precise location, payment and medical records,
 *   biometric templates, messages — and every parent category whose children differ in
 *   type (`user.contact` may hold an e-mail address or an address).
 */
import type { DataCategory, LocalizedText, ValueType } from './model.js';

type Flag = 'identifier' | 'special' | 'restricted' | 'ccpaSensitive';

function category(id: string, [en, ru, kk]: [string, string, string], valueType: ValueType, ...flags: Flag[]): DataCategory {
  const title: LocalizedText = { en, ru, kk };
  return {
    id,
    title,
    identifier: flags.includes('identifier'),
    special: flags.includes('special'),
    restricted: flags.includes('restricted'),
    ccpaSensitive: flags.includes('ccpaSensitive'),
    valueType,
    custom: false,
  };
}

const ID = 'identifier';
const SPECIAL = 'special';
const RESTRICTED = 'restricted';
const CCPA = 'ccpaSensitive';

const TEXT = 'text';
const EMAIL = 'email';
const PHONE = 'phone';
const DATE = 'date';
const NUMBER = 'number';
const DOCUMENT = 'document';
const JSON_VALUE = 'json';

export const BUILTIN_DATA_CATEGORIES: readonly DataCategory[] = [
  // Contact
  category('user.contact', ['Contact details', 'Контактные данные', 'Байланыс деректері'], JSON_VALUE, ID),
  category('user.contact.email', ['Email address', 'Адрес электронной почты', 'Электрондық пошта мекенжайы'], EMAIL, ID),
  category('user.contact.phone_number', ['Phone number', 'Номер телефона', 'Телефон нөмірі'], PHONE, ID),
  category('user.contact.address', ['Postal address', 'Почтовый адрес', 'Пошта мекенжайы'], JSON_VALUE, ID),
  category('user.contact.messenger', ['Messenger account', 'Аккаунт в мессенджере', 'Мессенджердегі аккаунт'], TEXT, ID),
  category('user.contact.social_media', ['Social media profile', 'Профиль в социальной сети', 'Әлеуметтік желідегі профиль'], TEXT, ID),

  // Name
  category('user.name', ['Full name', 'Фамилия, имя, отчество', 'Тегі, аты, әкесінің аты'], TEXT, ID),
  category('user.name.first', ['First name', 'Имя', 'Аты'], TEXT),
  category('user.name.last', ['Last name', 'Фамилия', 'Тегі'], TEXT),
  category('user.name.patronymic', ['Patronymic', 'Отчество', 'Әкесінің аты'], TEXT),

  // Account
  category('user.account', ['Account data', 'Данные учётной записи', 'Есептік жазба деректері'], JSON_VALUE),
  category('user.account.id', ['Account number', 'Идентификатор учётной записи', 'Есептік жазба идентификаторы'], DOCUMENT, ID),
  category('user.account.username', ['Username', 'Имя пользователя (логин)', 'Пайдаланушы аты (логин)'], TEXT, ID),
  category('user.account.settings', ['Account settings', 'Настройки учётной записи', 'Есептік жазба баптаулары'], JSON_VALUE),
  category(
    'user.account.privacy_preferences',
    ['Privacy and communication preferences', 'Настройки конфиденциальности и рассылок', 'Құпиялылық және хабарлама баптаулары'],
    JSON_VALUE,
  ),

  // Authorization
  category('user.authorization', ['Access credentials', 'Данные для доступа', 'Қолжетімділік деректері'], JSON_VALUE, RESTRICTED, CCPA),
  category('user.authorization.credentials', ['Login credentials', 'Учётные данные для входа', 'Жүйеге кіру деректері'], JSON_VALUE, RESTRICTED, CCPA),
  category('user.authorization.password', ['Password', 'Пароль', 'Құпиясөз'], TEXT, RESTRICTED, CCPA),

  // Government identifiers
  category(
    'user.government_id',
    ['Government-issued identifiers', 'Государственные идентификаторы', 'Мемлекеттік сәйкестендіргіштер'],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.iin',
    ['Individual identification number (IIN)', 'Индивидуальный идентификационный номер (ИИН)', 'Жеке сәйкестендіру нөмірі (ЖСН)'],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.bin',
    ['Business identification number (BIN)', 'Бизнес-идентификационный номер (БИН)', 'Бизнес-сәйкестендіру нөмірі (БСН)'],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category('user.government_id.passport', ['Passport details', 'Паспортные данные', 'Паспорт деректері'], DOCUMENT, ID, RESTRICTED, CCPA),
  category(
    'user.government_id.id_card',
    ['Identity card details', 'Данные удостоверения личности', 'Жеке куәлік деректері'],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.snils',
    [
      'Individual insurance account number (SNILS, Russia)',
      'Страховой номер индивидуального лицевого счёта (СНИЛС)',
      'Жеке дербес шоттың сақтандыру нөмірі (СНИЛС, Ресей)',
    ],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.inn',
    [
      'Taxpayer identification number (INN, Russia)',
      'Идентификационный номер налогоплательщика (ИНН)',
      'Салық төлеушінің сәйкестендіру нөмірі (ИНН, Ресей)',
    ],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.drivers_license',
    ['Driving licence', 'Водительское удостоверение', 'Жүргізуші куәлігі'],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.national_id',
    [
      'National identification number (other countries)',
      'Национальный идентификационный номер (другие страны)',
      'Ұлттық сәйкестендіру нөмірі (басқа елдер)',
    ],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.immigration',
    [
      'Immigration and residence documents',
      'Миграционные документы и вид на жительство',
      'Көші-қон құжаттары және тұруға ықтиярхат',
    ],
    DOCUMENT, ID, RESTRICTED, CCPA,
  ),

  // Financial
  category('user.financial', ['Financial data', 'Финансовые данные', 'Қаржылық деректер'], JSON_VALUE, RESTRICTED),
  category('user.financial.bank_account', ['Bank account details', 'Банковские реквизиты', 'Банк деректемелері'], DOCUMENT, RESTRICTED, CCPA),
  category('user.financial.income', ['Income and assets', 'Доходы и имущество', 'Табыс және мүлік'], NUMBER, RESTRICTED),
  category('user.financial.credit_history', ['Credit history', 'Кредитная история', 'Кредиттік тарих'], JSON_VALUE, RESTRICTED),
  category('user.financial.transactions', ['Transaction history', 'История операций', 'Операциялар тарихы'], JSON_VALUE, RESTRICTED),

  // Payment
  category('user.payment', ['Payment data', 'Платёжные данные', 'Төлем деректері'], JSON_VALUE, RESTRICTED),
  category('user.payment.card', ['Payment card details', 'Данные платёжной карты', 'Төлем картасының деректері'], JSON_VALUE, RESTRICTED, CCPA),
  category('user.payment.billing', ['Invoices and billing details', 'Счета и платёжные реквизиты', 'Шоттар мен төлем деректемелері'], JSON_VALUE, RESTRICTED),

  // Device and connection
  category('user.device', ['Device and connection data', 'Данные об устройстве и подключении', 'Құрылғы және қосылым деректері'], JSON_VALUE),
  category('user.device.device_id', ['Device identifier', 'Идентификатор устройства', 'Құрылғы идентификаторы'], TEXT),
  category('user.device.ip_address', ['IP address', 'IP-адрес', 'IP-мекенжай'], TEXT),
  category('user.device.cookie_id', ['Cookie identifiers', 'Идентификаторы cookie', 'Cookie идентификаторлары'], TEXT),
  category('user.device.browser', ['Browser and operating system', 'Браузер и операционная система', 'Браузер және операциялық жүйе'], TEXT),
  category('user.device.telemetry', ['Device telemetry', 'Телеметрия устройства', 'Құрылғы телеметриясы'], JSON_VALUE),
  category('user.device.access_log', ['System access logs', 'Журналы доступа к системам', 'Жүйелерге кіру журналдары'], JSON_VALUE),

  // Location
  category('user.location', ['Location', 'Местоположение', 'Орналасқан жері'], JSON_VALUE),
  category('user.location.precise', ['Precise geolocation', 'Точная геолокация', 'Нақты геолокация'], JSON_VALUE, CCPA),
  category('user.location.imprecise', ['Approximate location', 'Приблизительное местоположение', 'Шамамен анықталған орналасқан жері'], TEXT),

  // Behaviour
  category('user.behavior', ['Behavioural data', 'Данные о поведении', 'Мінез-құлық деректері'], JSON_VALUE),
  category('user.behavior.browsing_history', ['Browsing history', 'История посещения страниц', 'Беттерді қарау тарихы'], JSON_VALUE),
  category('user.behavior.search_history', ['Search history', 'История поиска', 'Іздеу тарихы'], JSON_VALUE),
  category('user.behavior.purchase_history', ['Purchase history', 'История покупок', 'Сатып алулар тарихы'], JSON_VALUE),
  category('user.behavior.service_usage', ['Use of services', 'Использование сервисов', 'Қызметтерді пайдалану'], JSON_VALUE),
  category(
    'user.behavior.profile',
    ['Interests and preferences (profiling)', 'Интересы и предпочтения (профилирование)', 'Қызығушылықтар мен қалаулар (профильдеу)'],
    JSON_VALUE,
  ),

  // Biometric
  category('user.biometric', ['Biometric data', 'Биометрические данные', 'Биометриялық деректер'], JSON_VALUE, ID, SPECIAL, RESTRICTED, CCPA),
  category('user.biometric.fingerprint', ['Fingerprints', 'Отпечатки пальцев', 'Саусақ іздері'], JSON_VALUE, ID, SPECIAL, RESTRICTED, CCPA),
  category('user.biometric.face', ['Facial biometrics', 'Биометрия лица', 'Бет биометриясы'], JSON_VALUE, ID, SPECIAL, RESTRICTED, CCPA),
  category('user.biometric.voice', ['Voiceprint', 'Биометрия голоса', 'Дауыс биометриясы'], JSON_VALUE, ID, SPECIAL, RESTRICTED, CCPA),
  category(
    'user.biometric.iris',
    ['Iris and retina scans', 'Изображение радужной оболочки и сетчатки глаза', 'Көздің нұрлы және торлы қабығының бейнесі'],
    JSON_VALUE, ID, SPECIAL, RESTRICTED, CCPA,
  ),

  // Audiovisual: images and recordings of a person; biometric only when used to identify.
  category('user.audiovisual', ['Audio and video recordings', 'Аудио- и видеозаписи', 'Аудио- және бейнежазбалар'], TEXT, ID),
  category('user.audiovisual.photo', ['Photographs', 'Фотографии', 'Фотосуреттер'], TEXT, ID),
  category('user.audiovisual.video', ['Video recordings', 'Видеозаписи', 'Бейнежазбалар'], TEXT, ID),
  category('user.audiovisual.voice', ['Voice recordings', 'Записи голоса', 'Дауыс жазбалары'], TEXT, ID),
  category('user.audiovisual.cctv', ['CCTV footage', 'Записи видеонаблюдения', 'Бейнебақылау жазбалары'], TEXT, ID),

  // Health and genetics
  category(
    'user.health_and_medical',
    ['Health data', 'Сведения о состоянии здоровья', 'Денсаулық жағдайы туралы мәліметтер'],
    JSON_VALUE, SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.health_and_medical.medical_record',
    ['Medical records', 'Медицинская документация', 'Медициналық құжаттама'],
    JSON_VALUE, SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.health_and_medical.disability',
    ['Disability', 'Сведения об инвалидности', 'Мүгедектік туралы мәліметтер'],
    TEXT, SPECIAL, RESTRICTED, CCPA,
  ),
  category('user.genetic', ['Genetic data', 'Генетические данные', 'Генетикалық деректер'], JSON_VALUE, SPECIAL, RESTRICTED, CCPA),

  // Demographic
  category('user.demographic', ['Demographic data', 'Демографические данные', 'Демографиялық деректер'], JSON_VALUE),
  category('user.demographic.date_of_birth', ['Date of birth', 'Дата рождения', 'Туған күні'], DATE),
  category('user.demographic.age_range', ['Age group', 'Возрастная группа', 'Жас тобы'], TEXT),
  category('user.demographic.gender', ['Sex', 'Пол', 'Жынысы'], TEXT),
  category('user.demographic.citizenship', ['Citizenship', 'Гражданство', 'Азаматтығы'], TEXT, CCPA),
  category('user.demographic.marital_status', ['Marital status', 'Семейное положение', 'Отбасылық жағдайы'], TEXT),
  category('user.demographic.language', ['Language of communication', 'Язык общения', 'Қарым-қатынас тілі'], TEXT),

  // Special categories (GDPR art. 9/10, 152-FZ art. 10)
  category(
    'user.race_ethnicity',
    ['Racial or ethnic origin', 'Расовая или национальная принадлежность', 'Нәсілдік немесе ұлттық тиесілігі'],
    TEXT, SPECIAL, RESTRICTED, CCPA,
  ),
  category('user.political_opinion', ['Political opinions', 'Политические взгляды', 'Саяси көзқарастары'], TEXT, SPECIAL, RESTRICTED),
  category(
    'user.religious_belief',
    ['Religious or philosophical beliefs', 'Религиозные или философские убеждения', 'Діни немесе философиялық нанымдары'],
    TEXT, SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.trade_union',
    ['Trade union membership', 'Членство в профессиональном союзе', 'Кәсіподаққа мүшелігі'],
    TEXT, SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.sexual_orientation',
    ['Sex life or sexual orientation', 'Интимная жизнь или сексуальная ориентация', 'Жыныстық өмірі немесе жыныстық бағдары'],
    TEXT, SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.criminal_history',
    ['Criminal convictions and offences', 'Сведения о судимости', 'Сотталғандығы туралы мәліметтер'],
    JSON_VALUE, SPECIAL, RESTRICTED,
  ),

  // Content
  category('user.content', ['User content', 'Пользовательский контент', 'Пайдаланушы контенті'], JSON_VALUE),
  category('user.content.messages', ['Messages and correspondence', 'Сообщения и переписка', 'Хабарламалар мен хат алмасу'], JSON_VALUE, RESTRICTED, CCPA),
  category('user.content.public', ['Public posts and reviews', 'Публикации и отзывы', 'Жарияланымдар мен пікірлер'], TEXT),
  category('user.content.support', ['Support requests', 'Обращения в службу поддержки', 'Қолдау қызметіне өтініштер'], TEXT),

  // Sensors
  category('user.sensor', ['Sensor data', 'Данные датчиков', 'Датчик деректері'], JSON_VALUE),

  // Work and education
  category('user.workplace', ['Employer and workplace', 'Место работы', 'Жұмыс орны'], TEXT),
  category('user.professional', ['Professional data', 'Профессиональные сведения', 'Кәсіби мәліметтер'], JSON_VALUE),
  category('user.professional.job_title', ['Job title', 'Должность', 'Лауазымы'], TEXT),
  category('user.professional.employment_history', ['Employment history', 'Трудовая деятельность', 'Еңбек қызметі'], JSON_VALUE),
  category('user.education', ['Education', 'Образование', 'Білімі'], JSON_VALUE),

  // Pseudonymous identifiers
  category('user.unique_id', ['Pseudonymous identifier', 'Псевдонимный идентификатор', 'Бүркеншік идентификатор'], TEXT),
];
