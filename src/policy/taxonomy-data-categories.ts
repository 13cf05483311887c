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
 */
import type { DataCategory, LocalizedText } from './model.js';

type Flag = 'identifier' | 'special' | 'restricted' | 'ccpaSensitive';

function category(id: string, [en, ru, kk]: [string, string, string], ...flags: Flag[]): DataCategory {
  const title: LocalizedText = { en, ru, kk };
  return {
    id,
    title,
    identifier: flags.includes('identifier'),
    special: flags.includes('special'),
    restricted: flags.includes('restricted'),
    ccpaSensitive: flags.includes('ccpaSensitive'),
    custom: false,
  };
}

const ID = 'identifier';
const SPECIAL = 'special';
const RESTRICTED = 'restricted';
const CCPA = 'ccpaSensitive';

export const BUILTIN_DATA_CATEGORIES: readonly DataCategory[] = [
  // Contact
  category('user.contact', ['Contact details', 'Контактные данные', 'Байланыс деректері'], ID),
  category('user.contact.email', ['Email address', 'Адрес электронной почты', 'Электрондық пошта мекенжайы'], ID),
  category('user.contact.phone_number', ['Phone number', 'Номер телефона', 'Телефон нөмірі'], ID),
  category('user.contact.address', ['Postal address', 'Почтовый адрес', 'Пошта мекенжайы'], ID),
  category('user.contact.messenger', ['Messenger account', 'Аккаунт в мессенджере', 'Мессенджердегі аккаунт'], ID),
  category('user.contact.social_media', ['Social media profile', 'Профиль в социальной сети', 'Әлеуметтік желідегі профиль'], ID),

  // Name
  category('user.name', ['Full name', 'Фамилия, имя, отчество', 'Тегі, аты, әкесінің аты'], ID),
  category('user.name.first', ['First name', 'Имя', 'Аты']),
  category('user.name.last', ['Last name', 'Фамилия', 'Тегі']),
  category('user.name.patronymic', ['Patronymic', 'Отчество', 'Әкесінің аты']),

  // Account
  category('user.account', ['Account data', 'Данные учётной записи', 'Есептік жазба деректері']),
  category('user.account.id', ['Account number', 'Идентификатор учётной записи', 'Есептік жазба идентификаторы'], ID),
  category('user.account.username', ['Username', 'Имя пользователя (логин)', 'Пайдаланушы аты (логин)'], ID),
  category('user.account.settings', ['Account settings', 'Настройки учётной записи', 'Есептік жазба баптаулары']),
  category(
    'user.account.privacy_preferences',
    ['Privacy and communication preferences', 'Настройки конфиденциальности и рассылок', 'Құпиялылық және хабарлама баптаулары'],
  ),

  // Authorization
  category('user.authorization', ['Access credentials', 'Данные для доступа', 'Қолжетімділік деректері'], RESTRICTED, CCPA),
  category('user.authorization.credentials', ['Login credentials', 'Учётные данные для входа', 'Жүйеге кіру деректері'], RESTRICTED, CCPA),
  category('user.authorization.password', ['Password', 'Пароль', 'Құпиясөз'], RESTRICTED, CCPA),

  // Government identifiers
  category(
    'user.government_id',
    ['Government-issued identifiers', 'Государственные идентификаторы', 'Мемлекеттік сәйкестендіргіштер'],
    ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.iin',
    ['Individual identification number (IIN)', 'Индивидуальный идентификационный номер (ИИН)', 'Жеке сәйкестендіру нөмірі (ЖСН)'],
    ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.bin',
    ['Business identification number (BIN)', 'Бизнес-идентификационный номер (БИН)', 'Бизнес-сәйкестендіру нөмірі (БСН)'],
    ID, RESTRICTED, CCPA,
  ),
  category('user.government_id.passport', ['Passport details', 'Паспортные данные', 'Паспорт деректері'], ID, RESTRICTED, CCPA),
  category(
    'user.government_id.id_card',
    ['Identity card details', 'Данные удостоверения личности', 'Жеке куәлік деректері'],
    ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.snils',
    [
      'Individual insurance account number (SNILS, Russia)',
      'Страховой номер индивидуального лицевого счёта (СНИЛС)',
      'Жеке дербес шоттың сақтандыру нөмірі (СНИЛС, Ресей)',
    ],
    ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.inn',
    [
      'Taxpayer identification number (INN, Russia)',
      'Идентификационный номер налогоплательщика (ИНН)',
      'Салық төлеушінің сәйкестендіру нөмірі (ИНН, Ресей)',
    ],
    ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.drivers_license',
    ['Driving licence', 'Водительское удостоверение', 'Жүргізуші куәлігі'],
    ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.national_id',
    [
      'National identification number (other countries)',
      'Национальный идентификационный номер (другие страны)',
      'Ұлттық сәйкестендіру нөмірі (басқа елдер)',
    ],
    ID, RESTRICTED, CCPA,
  ),
  category(
    'user.government_id.immigration',
    [
      'Immigration and residence documents',
      'Миграционные документы и вид на жительство',
      'Көші-қон құжаттары және тұруға ықтиярхат',
    ],
    ID, RESTRICTED, CCPA,
  ),

  // Financial
  category('user.financial', ['Financial data', 'Финансовые данные', 'Қаржылық деректер'], RESTRICTED),
  category('user.financial.bank_account', ['Bank account details', 'Банковские реквизиты', 'Банк деректемелері'], RESTRICTED, CCPA),
  category('user.financial.income', ['Income and assets', 'Доходы и имущество', 'Табыс және мүлік'], RESTRICTED),
  category('user.financial.credit_history', ['Credit history', 'Кредитная история', 'Кредиттік тарих'], RESTRICTED),
  category('user.financial.transactions', ['Transaction history', 'История операций', 'Операциялар тарихы'], RESTRICTED),

  // Payment
  category('user.payment', ['Payment data', 'Платёжные данные', 'Төлем деректері'], RESTRICTED),
  category('user.payment.card', ['Payment card details', 'Данные платёжной карты', 'Төлем картасының деректері'], RESTRICTED, CCPA),
  category('user.payment.billing', ['Invoices and billing details', 'Счета и платёжные реквизиты', 'Шоттар мен төлем деректемелері'], RESTRICTED),

  // Device and connection
  category('user.device', ['Device and connection data', 'Данные об устройстве и подключении', 'Құрылғы және қосылым деректері']),
  category('user.device.device_id', ['Device identifier', 'Идентификатор устройства', 'Құрылғы идентификаторы']),
  category('user.device.ip_address', ['IP address', 'IP-адрес', 'IP-мекенжай']),
  category('user.device.cookie_id', ['Cookie identifiers', 'Идентификаторы cookie', 'Cookie идентификаторлары']),
  category('user.device.browser', ['Browser and operating system', 'Браузер и операционная система', 'Браузер және операциялық жүйе']),
  category('user.device.telemetry', ['Device telemetry', 'Телеметрия устройства', 'Құрылғы телеметриясы']),
  category('user.device.access_log', ['System access logs', 'Журналы доступа к системам', 'Жүйелерге кіру журналдары']),

  // Location
  category('user.location', ['Location', 'Местоположение', 'Орналасқан жері']),
  category('user.location.precise', ['Precise geolocation', 'Точная геолокация', 'Нақты геолокация'], CCPA),
  category('user.location.imprecise', ['Approximate location', 'Приблизительное местоположение', 'Шамамен анықталған орналасқан жері']),

  // Behaviour
  category('user.behavior', ['Behavioural data', 'Данные о поведении', 'Мінез-құлық деректері']),
  category('user.behavior.browsing_history', ['Browsing history', 'История посещения страниц', 'Беттерді қарау тарихы']),
  category('user.behavior.search_history', ['Search history', 'История поиска', 'Іздеу тарихы']),
  category('user.behavior.purchase_history', ['Purchase history', 'История покупок', 'Сатып алулар тарихы']),
  category('user.behavior.service_usage', ['Use of services', 'Использование сервисов', 'Қызметтерді пайдалану']),
  category(
    'user.behavior.profile',
    ['Interests and preferences (profiling)', 'Интересы и предпочтения (профилирование)', 'Қызығушылықтар мен қалаулар (профильдеу)'],
  ),

  // Biometric
  category('user.biometric', ['Biometric data', 'Биометрические данные', 'Биометриялық деректер'], ID, SPECIAL, RESTRICTED, CCPA),
  category('user.biometric.fingerprint', ['Fingerprints', 'Отпечатки пальцев', 'Саусақ іздері'], ID, SPECIAL, RESTRICTED, CCPA),
  category('user.biometric.face', ['Facial biometrics', 'Биометрия лица', 'Бет биометриясы'], ID, SPECIAL, RESTRICTED, CCPA),
  category('user.biometric.voice', ['Voiceprint', 'Биометрия голоса', 'Дауыс биометриясы'], ID, SPECIAL, RESTRICTED, CCPA),
  category(
    'user.biometric.iris',
    ['Iris and retina scans', 'Изображение радужной оболочки и сетчатки глаза', 'Көздің нұрлы және торлы қабығының бейнесі'],
    ID, SPECIAL, RESTRICTED, CCPA,
  ),

  // Audiovisual: images and recordings of a person; biometric only when used to identify.
  category('user.audiovisual', ['Audio and video recordings', 'Аудио- и видеозаписи', 'Аудио- және бейнежазбалар'], ID),
  category('user.audiovisual.photo', ['Photographs', 'Фотографии', 'Фотосуреттер'], ID),
  category('user.audiovisual.video', ['Video recordings', 'Видеозаписи', 'Бейнежазбалар'], ID),
  category('user.audiovisual.voice', ['Voice recordings', 'Записи голоса', 'Дауыс жазбалары'], ID),
  category('user.audiovisual.cctv', ['CCTV footage', 'Записи видеонаблюдения', 'Бейнебақылау жазбалары'], ID),

  // Health and genetics
  category(
    'user.health_and_medical',
    ['Health data', 'Сведения о состоянии здоровья', 'Денсаулық жағдайы туралы мәліметтер'],
    SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.health_and_medical.medical_record',
    ['Medical records', 'Медицинская документация', 'Медициналық құжаттама'],
    SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.health_and_medical.disability',
    ['Disability', 'Сведения об инвалидности', 'Мүгедектік туралы мәліметтер'],
    SPECIAL, RESTRICTED, CCPA,
  ),
  category('user.genetic', ['Genetic data', 'Генетические данные', 'Генетикалық деректер'], SPECIAL, RESTRICTED, CCPA),

  // Demographic
  category('user.demographic', ['Demographic data', 'Демографические данные', 'Демографиялық деректер']),
  category('user.demographic.date_of_birth', ['Date of birth', 'Дата рождения', 'Туған күні']),
  category('user.demographic.age_range', ['Age group', 'Возрастная группа', 'Жас тобы']),
  category('user.demographic.gender', ['Sex', 'Пол', 'Жынысы']),
  category('user.demographic.citizenship', ['Citizenship', 'Гражданство', 'Азаматтығы'], CCPA),
  category('user.demographic.marital_status', ['Marital status', 'Семейное положение', 'Отбасылық жағдайы']),
  category('user.demographic.language', ['Language of communication', 'Язык общения', 'Қарым-қатынас тілі']),

  // Special categories (GDPR art. 9/10, 152-FZ art. 10)
  category(
    'user.race_ethnicity',
    ['Racial or ethnic origin', 'Расовая или национальная принадлежность', 'Нәсілдік немесе ұлттық тиесілігі'],
    SPECIAL, RESTRICTED, CCPA,
  ),
  category('user.political_opinion', ['Political opinions', 'Политические взгляды', 'Саяси көзқарастары'], SPECIAL, RESTRICTED),
  category(
    'user.religious_belief',
    ['Religious or philosophical beliefs', 'Религиозные или философские убеждения', 'Діни немесе философиялық нанымдары'],
    SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.trade_union',
    ['Trade union membership', 'Членство в профессиональном союзе', 'Кәсіподаққа мүшелігі'],
    SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.sexual_orientation',
    ['Sex life or sexual orientation', 'Интимная жизнь или сексуальная ориентация', 'Жыныстық өмірі немесе жыныстық бағдары'],
    SPECIAL, RESTRICTED, CCPA,
  ),
  category(
    'user.criminal_history',
    ['Criminal convictions and offences', 'Сведения о судимости', 'Сотталғандығы туралы мәліметтер'],
    SPECIAL, RESTRICTED,
  ),

  // Content
  category('user.content', ['User content', 'Пользовательский контент', 'Пайдаланушы контенті']),
  category('user.content.messages', ['Messages and correspondence', 'Сообщения и переписка', 'Хабарламалар мен хат алмасу'], RESTRICTED, CCPA),
  category('user.content.public', ['Public posts and reviews', 'Публикации и отзывы', 'Жарияланымдар мен пікірлер']),
  category('user.content.support', ['Support requests', 'Обращения в службу поддержки', 'Қолдау қызметіне өтініштер']),

  // Sensors
  category('user.sensor', ['Sensor data', 'Данные датчиков', 'Датчик деректері']),

  // Work and education
  category('user.workplace', ['Employer and workplace', 'Место работы', 'Жұмыс орны']),
  category('user.professional', ['Professional data', 'Профессиональные сведения', 'Кәсіби мәліметтер']),
  category('user.professional.job_title', ['Job title', 'Должность', 'Лауазымы']),
  category('user.professional.employment_history', ['Employment history', 'Трудовая деятельность', 'Еңбек қызметі']),
  category('user.education', ['Education', 'Образование', 'Білімі']),

  // Pseudonymous identifiers
  category('user.unique_id', ['Pseudonymous identifier', 'Псевдонимный идентификатор', 'Бүркеншік идентификатор']),
];
