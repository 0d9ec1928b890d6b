"""The demo prefectures' content in every shipped language, in plain language (used by counters/demo.py).

Short sentences: who a procedure is for, what to bring (one document a line), what happens at the
counter. French is the source; staff of a real prefecture write and translate their own in the admin.
"""

from __future__ import annotations

from modeltranslation.utils import build_localized_fieldname

DOCUMENTS = {
    "filing": {
        "fr": "Passeport en cours de validité\nTitre de séjour actuel (ou récépissé)\n"
        "Justificatif de domicile de moins de 3 mois\n3 photographies d'identité récentes\n"
        "Timbre fiscal (à acheter en ligne)",
        "en": "Valid passport\nCurrent residence permit (or receipt)\nProof of address less than 3 months old\n"
        "3 recent passport photos\nTax stamp (buy it online)",
        "ar": "جواز سفر ساري المفعول\nبطاقة الإقامة الحالية (أو الوصل)\nإثبات سكن لا يتجاوز عمره 3 أشهر\n"
        "3 صور شمسية حديثة\nطابع جبائي (يُشترى عبر الإنترنت)",
        "es": "Pasaporte válido\nPermiso de residencia actual (o resguardo)\n"
        "Justificante de domicilio de menos de 3 meses\n3 fotografías de carné recientes\n"
        "Timbre fiscal (se compra en línea)",
        "pt": "Passaporte válido\nTítulo de residência atual (ou recibo)\n"
        "Comprovativo de morada com menos de 3 meses\n3 fotografias tipo passe recentes\n"
        "Selo fiscal (compra-se na internet)",
        "ru": "Действующий паспорт\nНынешний вид на жительство (или временное удостоверение)\n"
        "Подтверждение адреса не старше 3 месяцев\n3 свежие фотографии на документы\n"
        "Гербовая марка (покупается в интернете)",
        "tr": "Geçerli pasaport\nMevcut oturma izni (veya geçici belge)\n3 aydan eski olmayan ikamet belgesi\n"
        "3 adet yeni vesikalık fotoğraf\nHarç pulu (internetten alınır)",
        "zh-hans": "有效护照\n现有居留卡（或回执）\n三个月内的住址证明\n三张近期证件照\n印花税票（在网上购买）",
    },
    "card": {
        "fr": "Votre convocation (imprimée ou sur votre téléphone)\n"
        "Avis de mise à disposition du titre (SMS ou e-mail)\nRécépissé ou ancien titre de séjour\nTimbre fiscal",
        "en": "Your appointment letter (printed or on your phone)\nNotice that your permit is ready (text or e-mail)\n"
        "Receipt or old residence permit\nTax stamp",
        "ar": "استدعاؤك (مطبوعًا أو على هاتفك)\nإشعار جاهزية البطاقة (رسالة قصيرة أو بريد إلكتروني)\n"
        "الوصل أو بطاقة الإقامة القديمة\nطابع جبائي",
        "es": "Su citación (impresa o en el teléfono)\nAviso de que su permiso está listo (SMS o correo)\n"
        "Resguardo o permiso de residencia anterior\nTimbre fiscal",
        "pt": "A sua convocatória (impressa ou no telemóvel)\nAviso de que o título está pronto (SMS ou e-mail)\n"
        "Recibo ou título de residência antigo\nSelo fiscal",
        "ru": "Ваше приглашение (распечатанное или в телефоне)\nУведомление о готовности карты (SMS или e-mail)\n"
        "Временное удостоверение или старый вид на жительство\nГербовая марка",
        "tr": "Randevu belgeniz (basılı veya telefonunuzda)\n"
        "Belgenizin hazır olduğunu bildiren mesaj (SMS veya e-posta)\n"
        "Geçici belge veya eski oturma izni\nHarç pulu",
        "zh-hans": "您的预约通知（打印件或手机上）\n居留卡已制好的通知（短信或电子邮件）\n回执或旧居留卡\n印花税票",
    },
    "licence": {
        "fr": "Permis de conduire étranger et sa traduction officielle\nTitre de séjour\n"
        "Justificatif de domicile de moins de 3 mois\n2 photographies d'identité",
        "en": "Foreign driving licence and its official translation\nResidence permit\n"
        "Proof of address less than 3 months old\n2 passport photos",
        "ar": "رخصة السياقة الأجنبية وترجمتها الرسمية\nبطاقة الإقامة\nإثبات سكن لا يتجاوز عمره 3 أشهر\nصورتان شمسيتان",
        "es": "Permiso de conducir extranjero y su traducción oficial\nPermiso de residencia\n"
        "Justificante de domicilio de menos de 3 meses\n2 fotografías de carné",
        "pt": "Carta de condução estrangeira e a sua tradução oficial\nTítulo de residência\n"
        "Comprovativo de morada com menos de 3 meses\n2 fotografias tipo passe",
        "ru": "Иностранное водительское удостоверение и его официальный перевод\nВид на жительство\n"
        "Подтверждение адреса не старше 3 месяцев\n2 фотографии на документы",
        "tr": "Yabancı sürücü belgesi ve resmî tercümesi\nOturma izni\n3 aydan eski olmayan ikamet belgesi\n"
        "2 adet vesikalık fotoğraf",
        "zh-hans": "外国驾照及其官方翻译件\n居留卡\n三个月内的住址证明\n两张证件照",
    },
    "information": {
        "fr": "Récépissé ou courrier de la préfecture\nPièce d'identité",
        "en": "Receipt or letter from the prefecture\nProof of identity",
        "ar": "الوصل أو رسالة من المحافظة\nوثيقة هوية",
        "es": "Resguardo o carta de la prefectura\nDocumento de identidad",
        "pt": "Recibo ou carta da prefeitura\nDocumento de identificação",
        "ru": "Временное удостоверение или письмо из префектуры\nДокумент, удостоверяющий личность",
        "tr": "Geçici belge veya valilikten gelen mektup\nKimlik belgesi",
        "zh-hans": "回执或省政府的信件\n身份证件",
    },
}

AT_THE_COUNTER_FILING = {
    "fr": "Un agent vérifie vos pièces et prend vos empreintes. Il enregistre votre demande. "
    "Vous repartez avec un récépissé. Le rendez-vous dure environ 20 minutes.",
    "en": "An officer checks your documents and takes your fingerprints. They register your application. "
    "You leave with a receipt. The appointment takes about 20 minutes.",
    "ar": "يتحقق الموظف من وثائقك ويأخذ بصماتك. يسجل طلبك. تغادر ومعك وصل. يستغرق الموعد نحو 20 دقيقة.",
    "es": "Un agente revisa sus documentos y toma sus huellas. Registra su solicitud. "
    "Usted sale con un resguardo. La cita dura unos 20 minutos.",
    "pt": "Um funcionário verifica os seus documentos e recolhe as suas impressões digitais. Regista o seu pedido. "
    "Sai com um recibo. A marcação dura cerca de 20 minutos.",
    "ru": "Сотрудник проверяет ваши документы и снимает отпечатки пальцев. Он регистрирует ваше заявление. "
    "Вы уходите с временным удостоверением. Приём длится около 20 минут.",
    "tr": "Bir görevli belgelerinizi kontrol eder ve parmak izinizi alır. Başvurunuzu kaydeder. "
    "Bir geçici belge ile ayrılırsınız. Randevu yaklaşık 20 dakika sürer.",
    "zh-hans": "工作人员核对您的材料并采集指纹，然后登记您的申请。您离开时会拿到一张回执。预约大约需要20分钟。",
}

PROCEDURES = {
    "titre-expire": {
        "name": {
            "fr": "Titre expiré : guichet urgent",
            "en": "Expired permit: urgent counter",
            "ar": "بطاقة إقامة منتهية الصلاحية: الشباك المستعجل",
            "es": "Permiso caducado: ventanilla urgente",
            "pt": "Título caducado: balcão urgente",
            "ru": "Просроченный вид на жительство: срочное окно",
            "tr": "Süresi dolmuş oturma izni: acil gişe",
            "zh-hans": "居留卡已过期：紧急窗口",
        },
        "description": {
            "fr": "Votre titre de séjour a déjà expiré.",
            "en": "Your residence permit has already expired.",
            "ar": "انتهت صلاحية بطاقة إقامتك.",
            "es": "Su permiso de residencia ya ha caducado.",
            "pt": "O seu título de residência já caducou.",
            "ru": "Срок вашего вида на жительство уже истёк.",
            "tr": "Oturma izninizin süresi doldu.",
            "zh-hans": "您的居留卡已经过期。",
        },
        "audience": {
            "fr": "Pour vous si votre titre de séjour ou votre récépissé a déjà expiré. "
            "Ou si aucun rendez-vous de renouvellement n'est libre avant la fin de votre titre.",
            "en": "For you if your residence permit or your receipt has already expired. "
            "Or if no renewal appointment is free before your permit ends.",
            "ar": "لك إذا انتهت صلاحية بطاقة إقامتك أو وصلك. أو إذا لم يتوفر موعد للتجديد قبل انتهاء بطاقتك.",
            "es": "Para usted si su permiso de residencia o su resguardo ya ha caducado. "
            "O si no hay ninguna cita de renovación libre antes de que caduque su permiso.",
            "pt": "Para si, se o seu título de residência ou o seu recibo já caducou. "
            "Ou se não há nenhuma marcação de renovação livre antes do fim do seu título.",
            "ru": "Для вас, если срок вашего вида на жительство или временного удостоверения уже истёк. "
            "Или если нет свободной записи на продление до окончания срока.",
            "tr": "Oturma izninizin veya geçici belgenizin süresi dolduysa sizin içindir. "
            "Ya da izniniz bitmeden önce boş yenileme randevusu yoksa.",
            "zh-hans": "适用于居留卡或回执已经过期的人，或者在居留卡到期前没有空余续签预约的人。",
        },
        "documents_to_bring": DOCUMENTS["filing"],
        "at_the_counter": {
            "fr": "Un agent regarde votre situation et vos papiers. Il enregistre votre demande. "
            "Vous repartez avec un récépissé si votre dossier est complet.",
            "en": "An officer looks at your situation and your papers. They register your application. "
            "You leave with a receipt if your file is complete.",
            "ar": "يدرس الموظف وضعك ووثائقك. يسجل طلبك. تغادر ومعك وصل إذا كان ملفك كاملًا.",
            "es": "Un agente estudia su situación y sus papeles. Registra su solicitud. "
            "Usted sale con un resguardo si su expediente está completo.",
            "pt": "Um funcionário analisa a sua situação e os seus papéis. Regista o seu pedido. "
            "Sai com um recibo se o seu processo estiver completo.",
            "ru": "Сотрудник рассматривает вашу ситуацию и документы. Он регистрирует ваше заявление. "
            "Если документы в порядке, вы уходите с временным удостоверением.",
            "tr": "Bir görevli durumunuzu ve belgelerinizi inceler. Başvurunuzu kaydeder. "
            "Dosyanız eksiksizse bir geçici belge ile ayrılırsınız.",
            "zh-hans": "工作人员了解您的情况并查看您的材料，然后登记您的申请。如果材料齐全，您离开时会拿到一张回执。",
        },
    },
    "depot-renouvellement": {
        "name": {
            "fr": "Dépôt ou renouvellement d'un titre de séjour",
            "en": "Applying for or renewing a residence permit",
            "ar": "إيداع طلب بطاقة إقامة أو تجديدها",
            "es": "Solicitud o renovación de un permiso de residencia",
            "pt": "Pedido ou renovação de um título de residência",
            "ru": "Подача заявления или продление вида на жительство",
            "tr": "Oturma izni başvurusu veya yenilemesi",
            "zh-hans": "申请或续签居留卡",
        },
        "description": {
            "fr": "Première demande, ou renouvellement dans les deux mois avant l'expiration de votre titre.",
            "en": "A first application, or a renewal in the two months before your permit expires.",
            "ar": "طلب أول، أو تجديد خلال الشهرين السابقين لانتهاء صلاحية بطاقتك.",
            "es": "Primera solicitud, o renovación en los dos meses anteriores a la caducidad de su permiso.",
            "pt": "Primeiro pedido, ou renovação nos dois meses antes de o seu título caducar.",
            "ru": "Первое заявление или продление в течение двух месяцев до окончания срока.",
            "tr": "İlk başvuru veya izninizin bitmesinden önceki iki ay içinde yenileme.",
            "zh-hans": "首次申请，或在居留卡到期前两个月内续签。",
        },
        "audience": {
            "fr": "Pour une première demande de titre de séjour. "
            "Pour renouveler un titre ou un récépissé qui expire dans les deux mois.",
            "en": "For a first residence permit application. "
            "To renew a permit or a receipt that expires within two months.",
            "ar": "لطلب أول لبطاقة الإقامة. لتجديد بطاقة أو وصل تنتهي صلاحيته خلال شهرين.",
            "es": "Para una primera solicitud de permiso de residencia. "
            "Para renovar un permiso o un resguardo que caduca en los próximos dos meses.",
            "pt": "Para um primeiro pedido de título de residência. "
            "Para renovar um título ou um recibo que caduca nos próximos dois meses.",
            "ru": "Для первого заявления на вид на жительство. "
            "Для продления вида на жительство или временного удостоверения, "
            "срок которого истекает в течение двух месяцев.",
            "tr": "İlk oturma izni başvurusu için. "
            "İki ay içinde süresi dolacak bir izni veya geçici belgeyi yenilemek için.",
            "zh-hans": "适用于首次申请居留卡，或续签两个月内到期的居留卡或回执。",
        },
        "documents_to_bring": DOCUMENTS["filing"],
        "at_the_counter": AT_THE_COUNTER_FILING,
    },
    "remise-titre": {
        "name": {
            "fr": "Remise d'un titre de séjour",
            "en": "Collecting a residence permit",
            "ar": "تسلّم بطاقة الإقامة",
            "es": "Recogida de un permiso de residencia",
            "pt": "Levantamento de um título de residência",
            "ru": "Получение вида на жительство",
            "tr": "Oturma izni teslimi",
            "zh-hans": "领取居留卡",
        },
        "description": {
            "fr": "Votre titre est fabriqué et vous avez reçu l'avis de mise à disposition.",
            "en": "Your permit is made and you have received the notice that it is ready.",
            "ar": "بطاقتك جاهزة وقد تلقيت إشعار التسلّم.",
            "es": "Su permiso está hecho y ha recibido el aviso de que está listo.",
            "pt": "O seu título está pronto e recebeu o aviso de levantamento.",
            "ru": "Ваша карта готова, и вы получили уведомление об этом.",
            "tr": "Belgeniz hazır ve hazır olduğunu bildiren mesajı aldınız.",
            "zh-hans": "您的居留卡已制好，并且您已收到领取通知。",
        },
        "audience": {
            "fr": "Pour vous si vous avez reçu un SMS ou un e-mail : votre titre est prêt. "
            "Sans cet avis, ne prenez pas ce rendez-vous.",
            "en": "For you if you have received a text or an e-mail saying your permit is ready. "
            "Without this notice, do not book this appointment.",
            "ar": "لك إذا تلقيت رسالة قصيرة أو بريدًا إلكترونيًا يخبرك أن بطاقتك جاهزة. "
            "لا تحجز هذا الموعد دون هذا الإشعار.",
            "es": "Para usted si ha recibido un SMS o un correo que dice que su permiso está listo. "
            "Sin este aviso, no reserve esta cita.",
            "pt": "Para si, se recebeu um SMS ou um e-mail a dizer que o seu título está pronto. "
            "Sem este aviso, não faça esta marcação.",
            "ru": "Для вас, если вы получили SMS или e-mail о том, что ваша карта готова. "
            "Без этого уведомления не записывайтесь.",
            "tr": "Belgenizin hazır olduğunu bildiren bir SMS veya e-posta aldıysanız sizin içindir. "
            "Bu bildirim olmadan bu randevuyu almayın.",
            "zh-hans": "适用于已收到短信或电子邮件、通知居留卡已制好的人。没有收到通知，请不要预约。",
        },
        "documents_to_bring": DOCUMENTS["card"],
        "at_the_counter": {
            "fr": "Un agent vérifie votre identité. Vous signez et vous recevez votre titre. "
            "L'agent garde votre récépissé ou votre ancien titre.",
            "en": "An officer checks your identity. You sign and receive your permit. "
            "The officer keeps your receipt or your old permit.",
            "ar": "يتحقق الموظف من هويتك. توقّع وتتسلّم بطاقتك. يحتفظ الموظف بوصلك أو ببطاقتك القديمة.",
            "es": "Un agente comprueba su identidad. Usted firma y recibe su permiso. "
            "El agente se queda con su resguardo o su permiso anterior.",
            "pt": "Um funcionário verifica a sua identidade. Assina e recebe o seu título. "
            "O funcionário fica com o seu recibo ou o seu título antigo.",
            "ru": "Сотрудник проверяет вашу личность. Вы расписываетесь и получаете карту. "
            "Сотрудник забирает временное удостоверение или старый вид на жительство.",
            "tr": "Bir görevli kimliğinizi kontrol eder. İmza atarsınız ve belgenizi alırsınız. "
            "Görevli geçici belgenizi veya eski izninizi alıkoyar.",
            "zh-hans": "工作人员核实您的身份。您签字后领取居留卡。工作人员会收回您的回执或旧居留卡。",
        },
    },
    "information": {
        "name": {
            "fr": "Question sur un dossier en cours",
            "en": "A question about an application in progress",
            "ar": "سؤال عن ملف قيد الدراسة",
            "es": "Pregunta sobre un expediente en curso",
            "pt": "Pergunta sobre um processo em curso",
            "ru": "Вопрос о поданном заявлении",
            "tr": "Devam eden bir dosya hakkında soru",
            "zh-hans": "咨询正在办理的申请",
        },
        "description": {
            "fr": "Un agent répond à vos questions sur votre dossier.",
            "en": "An officer answers your questions about your application.",
            "ar": "يجيب الموظف عن أسئلتك حول ملفك.",
            "es": "Un agente responde a sus preguntas sobre su expediente.",
            "pt": "Um funcionário responde às suas perguntas sobre o seu processo.",
            "ru": "Сотрудник отвечает на ваши вопросы о вашем деле.",
            "tr": "Bir görevli dosyanızla ilgili sorularınızı yanıtlar.",
            "zh-hans": "工作人员解答您关于申请的问题。",
        },
        "audience": {
            "fr": "Pour vous si vous avez déjà déposé une demande et avez une question sur votre dossier.",
            "en": "For you if you have already applied and have a question about your application.",
            "ar": "لك إذا كنت قد أودعت طلبًا ولديك سؤال عن ملفك.",
            "es": "Para usted si ya ha presentado una solicitud y tiene una pregunta sobre su expediente.",
            "pt": "Para si, se já fez um pedido e tem uma pergunta sobre o seu processo.",
            "ru": "Для вас, если вы уже подали заявление и у вас есть вопрос о нём.",
            "tr": "Daha önce başvuru yaptıysanız ve dosyanızla ilgili bir sorunuz varsa sizin içindir.",
            "zh-hans": "适用于已经提交申请、对自己的申请有疑问的人。",
        },
        "documents_to_bring": DOCUMENTS["information"],
        "at_the_counter": {
            "fr": "Un agent cherche votre dossier et répond à vos questions. "
            "Aucune demande n'est déposée pendant ce rendez-vous.",
            "en": "An officer looks up your file and answers your questions. "
            "No application is filed at this appointment.",
            "ar": "يبحث الموظف عن ملفك ويجيب عن أسئلتك. لا يُودَع أي طلب خلال هذا الموعد.",
            "es": "Un agente busca su expediente y responde a sus preguntas. "
            "En esta cita no se presenta ninguna solicitud.",
            "pt": "Um funcionário procura o seu processo e responde às suas perguntas. "
            "Nesta marcação não se entrega nenhum pedido.",
            "ru": "Сотрудник находит ваше дело и отвечает на вопросы. На этом приёме заявления не подаются.",
            "tr": "Bir görevli dosyanızı bulur ve sorularınızı yanıtlar. Bu randevuda başvuru yapılmaz.",
            "zh-hans": "工作人员查找您的档案并解答您的问题。此次预约不受理任何申请。",
        },
    },
    "echange-permis": {
        "name": {
            "fr": "Échange d'un permis de conduire étranger",
            "en": "Exchanging a foreign driving licence",
            "ar": "استبدال رخصة سياقة أجنبية",
            "es": "Canje de un permiso de conducir extranjero",
            "pt": "Troca de uma carta de condução estrangeira",
            "ru": "Обмен иностранного водительского удостоверения",
            "tr": "Yabancı sürücü belgesinin değiştirilmesi",
            "zh-hans": "更换外国驾照",
        },
        "description": {
            "fr": "Pour les titulaires d'un permis délivré hors de l'Union européenne.",
            "en": "For holders of a licence issued outside the European Union.",
            "ar": "لحاملي رخصة صادرة خارج الاتحاد الأوروبي.",
            "es": "Para titulares de un permiso expedido fuera de la Unión Europea.",
            "pt": "Para titulares de uma carta emitida fora da União Europeia.",
            "ru": "Для владельцев прав, выданных за пределами Европейского союза.",
            "tr": "Avrupa Birliği dışında verilmiş bir ehliyete sahip olanlar için.",
            "zh-hans": "适用于持有欧盟以外国家签发驾照的人。",
        },
        "audience": {
            "fr": "Pour vous si vous avez un permis de conduire d'un pays hors de l'Union européenne "
            "et vivez en France.",
            "en": "For you if you have a driving licence from a country outside the European Union and live in France.",
            "ar": "لك إذا كانت لديك رخصة سياقة من بلد خارج الاتحاد الأوروبي وتعيش في فرنسا.",
            "es": "Para usted si tiene un permiso de conducir de un país de fuera de la Unión Europea "
            "y vive en Francia.",
            "pt": "Para si, se tem uma carta de condução de um país fora da União Europeia e vive em França.",
            "ru": "Для вас, если у вас водительское удостоверение страны вне Европейского союза "
            "и вы живёте во Франции.",
            "tr": "Avrupa Birliği dışındaki bir ülkeden sürücü belgeniz varsa ve Fransa'da yaşıyorsanız sizin içindir.",
            "zh-hans": "适用于持有欧盟以外国家驾照、居住在法国的人。",
        },
        "documents_to_bring": DOCUMENTS["licence"],
        "at_the_counter": {
            "fr": "Un agent vérifie votre permis et vos pièces. Il garde votre permis étranger. "
            "Vous repartez avec une attestation pour conduire en attendant le permis français.",
            "en": "An officer checks your licence and your documents. They keep your foreign licence. "
            "You leave with a certificate that lets you drive until your French licence arrives.",
            "ar": "يتحقق الموظف من رخصتك ووثائقك. يحتفظ برخصتك الأجنبية. "
            "تغادر ومعك شهادة تسمح لك بالسياقة في انتظار الرخصة الفرنسية.",
            "es": "Un agente revisa su permiso y sus documentos. Se queda con su permiso extranjero. "
            "Usted sale con un certificado para conducir mientras espera el permiso francés.",
            "pt": "Um funcionário verifica a sua carta e os seus documentos. Fica com a sua carta estrangeira. "
            "Sai com um certificado para conduzir enquanto espera pela carta francesa.",
            "ru": "Сотрудник проверяет ваше удостоверение и документы. Он забирает иностранные права. "
            "Вы уходите со справкой, по которой можно водить до получения французских прав.",
            "tr": "Bir görevli ehliyetinizi ve belgelerinizi kontrol eder. Yabancı ehliyetinizi alıkoyar. "
            "Fransız ehliyetiniz gelene kadar araç kullanmanızı sağlayan bir belgeyle ayrılırsınız.",
            "zh-hans": "工作人员核对您的驾照和材料，并收下您的外国驾照。"
            "您会拿到一份证明，在等待法国驾照期间可以凭它驾驶。",
        },
    },
    "etudiants-salaries": {
        "name": {
            "fr": "Étudiants et salariés",
            "en": "Students and employees",
            "ar": "الطلاب والأجراء",
            "es": "Estudiantes y asalariados",
            "pt": "Estudantes e trabalhadores",
            "ru": "Студенты и наёмные работники",
            "tr": "Öğrenciler ve çalışanlar",
            "zh-hans": "学生和雇员",
        },
        "description": {
            "fr": "Créneaux réservés aux étudiants et aux salariés.",
            "en": "Time slots kept for students and employees.",
            "ar": "مواعيد مخصصة للطلاب والأجراء.",
            "es": "Horarios reservados a estudiantes y asalariados.",
            "pt": "Horários reservados a estudantes e trabalhadores.",
            "ru": "Время приёма только для студентов и наёмных работников.",
            "tr": "Öğrencilere ve çalışanlara ayrılmış randevu saatleri.",
            "zh-hans": "专为学生和雇员保留的时段。",
        },
        "audience": {
            "fr": "Pour les étudiants et les salariés qui demandent ou renouvellent leur titre de séjour.",
            "en": "For students and employees who apply for or renew their residence permit.",
            "ar": "للطلاب والأجراء الذين يطلبون بطاقة الإقامة أو يجددونها.",
            "es": "Para estudiantes y asalariados que solicitan o renuevan su permiso de residencia.",
            "pt": "Para estudantes e trabalhadores que pedem ou renovam o seu título de residência.",
            "ru": "Для студентов и наёмных работников, которые подают заявление или продлевают вид на жительство.",
            "tr": "Oturma izni için başvuran veya iznini yenileyen öğrenciler ve çalışanlar için.",
            "zh-hans": "适用于申请或续签居留卡的学生和雇员。",
        },
        "documents_to_bring": DOCUMENTS["filing"],
        "at_the_counter": AT_THE_COUNTER_FILING,
    },
    # Offered only by Nanterre's lottery opening: no weekly hours, so its waiting list and certificate show.
    "admission-exceptionnelle": {
        "name": {
            "fr": "Admission exceptionnelle au séjour",
            "en": "Exceptional admission to stay",
            "ar": "القبول الاستثنائي للإقامة",
            "es": "Admisión excepcional de residencia",
            "pt": "Admissão excecional de residência",
            "ru": "Исключительное разрешение на пребывание",
            "tr": "İstisnai oturma izni başvurusu",
            "zh-hans": "特殊居留许可申请",
        },
        "description": {
            "fr": "Places attribuées par tirage au sort lors des ouvertures exceptionnelles.",
            "en": "Places given by a lottery at special openings.",
            "ar": "أماكن تُمنح بالقرعة خلال الفتحات الاستثنائية.",
            "es": "Plazas asignadas por sorteo en las aperturas excepcionales.",
            "pt": "Vagas atribuídas por sorteio nas aberturas excecionais.",
            "ru": "Места распределяются жеребьёвкой в дни дополнительного приёма.",
            "tr": "Yerler olağanüstü açılışlarda kura ile verilir.",
            "zh-hans": "名额在特别开放日通过抽签分配。",
        },
        "audience": {
            "fr": "Pour les personnes sans titre de séjour qui demandent une admission exceptionnelle, "
            "par exemple au titre du travail.",
            "en": "For people without a residence permit who ask for exceptional admission, for example for work.",
            "ar": "للأشخاص الذين ليست لديهم بطاقة إقامة ويطلبون قبولًا استثنائيًا، مثلًا بسبب العمل.",
            "es": "Para personas sin permiso de residencia que piden una admisión excepcional, "
            "por ejemplo por trabajo.",
            "pt": "Para pessoas sem título de residência que pedem uma admissão excecional, por exemplo por trabalho.",
            "ru": "Для людей без вида на жительство, которые просят об исключительном разрешении, например по работе.",
            "tr": "Oturma izni olmayan ve örneğin çalışma nedeniyle istisnai kabul isteyen kişiler için.",
            "zh-hans": "适用于没有居留卡、申请特殊居留许可（例如因工作）的人。",
        },
        "documents_to_bring": DOCUMENTS["filing"],
        "at_the_counter": AT_THE_COUNTER_FILING,
    },
}

SITE_INFORMATION = {
    "herault": {
        "fr": "Accueil du public du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 16 h, "
        "uniquement sur rendez-vous.\nTramway lignes 1, 2, 3 et 4 : arrêt Comédie ou Louis Blanc.",
        "en": "Open to the public Monday to Friday, 9:00 to 12:00 and 13:30 to 16:00, by appointment only.\n"
        "Tram lines 1, 2, 3 and 4: Comédie or Louis Blanc stop.",
        "ar": "استقبال الجمهور من الاثنين إلى الجمعة، من 9:00 إلى 12:00 ومن 13:30 إلى 16:00، بموعد فقط.\n"
        "الترامواي الخطوط 1 و2 و3 و4: محطة Comédie أو Louis Blanc.",
        "es": "Atención al público de lunes a viernes, de 9:00 a 12:00 y de 13:30 a 16:00, solo con cita.\n"
        "Tranvía líneas 1, 2, 3 y 4: parada Comédie o Louis Blanc.",
        "pt": "Atendimento ao público de segunda a sexta, das 9:00 às 12:00 e das 13:30 às 16:00, só com marcação.\n"
        "Elétrico linhas 1, 2, 3 e 4: paragem Comédie ou Louis Blanc.",
        "ru": "Приём посетителей с понедельника по пятницу, с 9:00 до 12:00 и с 13:30 до 16:00, только по записи.\n"
        "Трамвай, линии 1, 2, 3 и 4: остановка Comédie или Louis Blanc.",
        "tr": "Halka açık: pazartesiden cumaya, 9:00-12:00 ve 13:30-16:00, yalnızca randevuyla.\n"
        "Tramvay hatları 1, 2, 3 ve 4: Comédie veya Louis Blanc durağı.",
        "zh-hans": "周一至周五 9:00–12:00 和 13:30–16:00 对外接待，仅限预约。\n"
        "有轨电车 1、2、3、4 号线：Comédie 站或 Louis Blanc 站。",
    },
    "hauts-de-seine": {
        "fr": "Le bureau du séjour est fermé au public le jeudi ; les guichets de remise des titres restent ouverts "
        "tous les jours de la semaine.\nRER A : Nanterre-Préfecture.",
        "en": "The residence office is closed to the public on Thursdays; the permit collection counters stay open "
        "every weekday.\nRER A: Nanterre-Préfecture.",
        "ar": "مكتب الإقامة مغلق أمام الجمهور يوم الخميس؛ وتبقى شبابيك تسليم البطاقات مفتوحة كل أيام الأسبوع.\n"
        "RER A: محطة Nanterre-Préfecture.",
        "es": "La oficina de extranjería cierra al público los jueves; las ventanillas de entrega de permisos "
        "abren todos los días laborables.\nRER A: Nanterre-Préfecture.",
        "pt": "O serviço de residência está fechado ao público à quinta-feira; os balcões de entrega de títulos "
        "estão abertos todos os dias úteis.\nRER A: Nanterre-Préfecture.",
        "ru": "Отдел по делам иностранцев закрыт для посетителей по четвергам; окна выдачи карт работают "
        "во все будние дни.\nRER A: станция Nanterre-Préfecture.",
        "tr": "Oturma izni bürosu perşembe günleri halka kapalıdır; belge teslim gişeleri hafta içi her gün açıktır.\n"
        "RER A: Nanterre-Préfecture.",
        "zh-hans": "居留办公室每周四不对外开放；领取居留卡的窗口工作日每天开放。\n"
        "区域快铁 RER A 线：Nanterre-Préfecture 站。",
    },
    "la-reunion": {
        "fr": "Accueil des étrangers du lundi au vendredi, de 8 h à 12 h et de 13 h à 15 h 30 (heure de La Réunion), "
        "uniquement sur rendez-vous.",
        "en": "Foreign residents are received Monday to Friday, 8:00 to 12:00 and 13:00 to 15:30 (Réunion time), "
        "by appointment only.",
        "ar": "استقبال الأجانب من الاثنين إلى الجمعة، من 8:00 إلى 12:00 ومن 13:00 إلى 15:30 (بتوقيت لاريونيون)، "
        "بموعد فقط.",
        "es": "Atención a extranjeros de lunes a viernes, de 8:00 a 12:00 y de 13:00 a 15:30 (hora de La Reunión), "
        "solo con cita.",
        "pt": "Atendimento a estrangeiros de segunda a sexta, das 8:00 às 12:00 e das 13:00 às 15:30 "
        "(hora da Reunião), só com marcação.",
        "ru": "Приём иностранцев с понедельника по пятницу, с 8:00 до 12:00 и с 13:00 до 15:30 "
        "(по времени Реюньона), только по записи.",
        "tr": "Yabancılar pazartesiden cumaya, 8:00-12:00 ve 13:00-15:30 (Réunion saati) arasında, "
        "yalnızca randevuyla kabul edilir.",
        "zh-hans": "周一至周五 8:00–12:00 和 13:00–15:30（留尼汪时间）接待外国人，仅限预约。",
    },
}

# {day}: the day of the month of the coming Saturday.
SATURDAY_OPENING = {
    "announcement_title": {
        "fr": "Ouverture exceptionnelle le samedi {day} au matin",
        "en": "Special opening on Saturday {day}, in the morning",
        "ar": "فتح استثنائي صباح السبت {day}",
        "es": "Apertura excepcional el sábado {day} por la mañana",
        "pt": "Abertura excecional no sábado, dia {day}, de manhã",
        "ru": "Дополнительный приём в субботу, {day} числа, утром",
        "tr": "Olağanüstü açılış: cumartesi sabahı, ayın {day}. günü",
        "zh-hans": "{day}日星期六上午特别开放",
    },
    "announcement_text": {
        "fr": "Sur rendez-vous uniquement : 200 places pour le dépôt des demandes et la remise des titres de séjour.",
        "en": "By appointment only: 200 places for filing applications and collecting residence permits.",
        "ar": "بموعد فقط: 200 مكان لإيداع الطلبات وتسلّم بطاقات الإقامة.",
        "es": "Solo con cita: 200 plazas para presentar solicitudes y recoger permisos de residencia.",
        "pt": "Só com marcação: 200 vagas para entregar pedidos e levantar títulos de residência.",
        "ru": "Только по записи: 200 мест для подачи заявлений и получения видов на жительство.",
        "tr": "Yalnızca randevuyla: başvuru yapmak ve oturma izni teslim almak için 200 yer.",
        "zh-hans": "仅限预约：提供200个名额，用于提交申请和领取居留卡。",
    },
}


# {day}: the day of the month of the Saturday; its places are drawn among those who register.
LOTTERY_OPENING = {
    "announcement_title": {
        "fr": "Tirage au sort : admission exceptionnelle, samedi {day}",
        "en": "Lottery: exceptional admission, Saturday {day}",
        "ar": "قرعة: القبول الاستثنائي، السبت {day}",
        "es": "Sorteo: admisión excepcional, sábado {day}",
        "pt": "Sorteio: admissão excecional, sábado, dia {day}",
        "ru": "Жеребьёвка: исключительное разрешение, суббота, {day} число",
        "tr": "Kura: istisnai oturma izni, cumartesi, ayın {day}. günü",
        "zh-hans": "抽签：特殊居留许可，{day}日星期六",
    },
    "announcement_text": {
        "fr": "60 places attribuées par tirage au sort parmi les personnes inscrites avant le tirage.",
        "en": "60 places given by a lottery among the people who register before the draw.",
        "ar": "60 مكانًا تُمنح بالقرعة بين الأشخاص المسجلين قبل السحب.",
        "es": "60 plazas asignadas por sorteo entre las personas inscritas antes del sorteo.",
        "pt": "60 vagas atribuídas por sorteio entre as pessoas inscritas antes do sorteio.",
        "ru": "60 мест распределяются жеребьёвкой среди тех, кто зарегистрировался до неё.",
        "tr": "60 yer, kuradan önce kaydolan kişiler arasında kura ile verilir.",
        "zh-hans": "60个名额在抽签前登记的人中抽签分配。",
    },
}


def translations(field: str, texts: dict[str, str], **format_args) -> dict[str, str]:
    """{"name_fr": …, "name_en": …}: the model's fields for every language of `texts`."""
    return {build_localized_fieldname(field, language): text.format(**format_args) for language, text in texts.items()}


def procedure_fields(code: str) -> dict[str, str]:
    fields = {}
    for field, texts in PROCEDURES[code].items():
        fields.update(translations(field, texts))
    return fields
