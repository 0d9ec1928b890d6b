"""The questions the information page answered in its template, now entries staff edit, in every language.

Frozen here (a migration keeps its meaning when the application changes); created only when no
question exists yet, so that a prefecture's own entries are never duplicated or overwritten.
"""

from django.db import migrations

LANGUAGES = ("fr", "en", "ar", "es", "pt", "ru", "tr", "zh_hans")

ENTRIES = [
    {
        "topic": "renewal",
        "question": {
            "fr": "Quand demander le renouvellement de mon titre ?",
            "en": "When should I apply to renew my permit?",
            "ar": "متى أطلب تجديد بطاقة إقامتي؟",
            "es": "¿Cuándo debo pedir la renovación de mi permiso?",
            "pt": "Quando devo pedir a renovação do meu título?",
            "ru": "Когда подавать заявление на продление?",
            "tr": "Oturma iznimin yenilenmesini ne zaman istemeliyim?",
            "zh_hans": "什么时候申请续签居留卡？",
        },
        "answer": {
            "fr": "Prenez rendez-vous dans les deux mois avant la date d'expiration de votre titre ou de votre "
            "récépissé.\nLe rendez-vous a lieu au plus tard le jour où il expire : seuls ces jours vous sont "
            "proposés.\nSi votre titre a déjà expiré, le site vous envoie vers le guichet des titres expirés.\n"
            "Pour une première demande, aucune date n'est demandée.",
            "en": "Book an appointment in the two months before your permit or receipt expires.\nThe appointment is "
            "on the expiry day at the latest: only those days are offered.\nIf your permit has already expired, "
            "the site sends you to the counter for expired permits.\nFor a first application, no date is asked.",
            "ar": "احجز موعدًا خلال الشهرين السابقين لانتهاء صلاحية بطاقتك أو وصلك.\nيكون الموعد على أقصى تقدير "
            "يوم انتهاء الصلاحية: لا تُعرض عليك إلا هذه الأيام.\nإذا كانت بطاقتك منتهية الصلاحية، يوجهك الموقع "
            "إلى شباك البطاقات المنتهية.\nفي الطلب الأول، لا يُطلب أي تاريخ.",
            "es": "Pida cita en los dos meses anteriores a la caducidad de su permiso o de su resguardo.\nLa cita es, "
            "como muy tarde, el día en que caduca: solo se le ofrecen esos días.\nSi su permiso ya ha caducado, "
            "la web le envía a la ventanilla de permisos caducados.\nPara una primera solicitud, no se pide "
            "ninguna fecha.",
            "pt": "Faça a marcação nos dois meses antes de o seu título ou recibo caducar.\nA marcação é, no máximo, "
            "no dia em que caduca: só esses dias lhe são propostos.\nSe o seu título já caducou, o site "
            "envia-o para o balcão dos títulos caducados.\nPara um primeiro pedido, não é pedida nenhuma data.",
            "ru": "Записывайтесь в течение двух месяцев до окончания срока вашего вида на жительство или временного "
            "удостоверения.\nПриём должен быть не позже дня окончания срока: предлагаются только эти дни.\n"
            "Если срок уже истёк, сайт направит вас в окно для просроченных документов.\nДля первого заявления "
            "дату указывать не нужно.",
            "tr": "İzninizin veya geçici belgenizin süresi dolmadan önceki iki ay içinde randevu alın.\nRandevu en geç "
            "sürenin dolduğu gündür: size yalnızca bu günler sunulur.\nİzninizin süresi dolduysa site sizi süresi "
            "dolmuş belgeler gişesine yönlendirir.\nİlk başvuruda tarih sorulmaz.",
            "zh_hans": "请在居留卡或回执到期前两个月内预约。\n预约最晚在到期当天：网站只提供这些日期。\n"
            "如果居留卡已经过期，网站会引导您去过期居留卡窗口。\n首次申请无需填写日期。",
        },
    },
    {
        "topic": "booking",
        "question": {
            "fr": "Il n'y a plus de créneau disponible.",
            "en": "There are no free time slots.",
            "ar": "لا يوجد أي موعد متاح.",
            "es": "No queda ninguna cita disponible.",
            "pt": "Já não há horários disponíveis.",
            "ru": "Свободного времени для записи нет.",
            "tr": "Boş randevu kalmadı.",
            "zh_hans": "没有可预约的时段了。",
        },
        "answer": {
            "fr": "De nouveaux créneaux sont ouverts chaque jour.\nLes ouvertures exceptionnelles sont annoncées sur "
            "la page d'accueil.\nVous pouvez aussi appeler la préfecture : un agent peut prendre rendez-vous pour "
            "vous.\nSi aucun créneau n'est proposé, vous pouvez télécharger une attestation qui le prouve.",
            "en": "New time slots open every day.\nSpecial openings are announced on the home page.\nYou can also "
            "call the prefecture: an officer can book for you.\nIf no time slot is offered, you can download a "
            "certificate that proves it.",
            "ar": "تُفتح مواعيد جديدة كل يوم.\nيُعلن عن الفتح الاستثنائي في الصفحة الرئيسية.\nيمكنك أيضًا الاتصال "
            "بالمحافظة: يمكن لموظف أن يحجز لك موعدًا.\nإذا لم يُعرض أي موعد، يمكنك تنزيل شهادة تثبت ذلك.",
            "es": "Cada día se abren nuevas citas.\nLas aperturas excepcionales se anuncian en la página de inicio.\n"
            "También puede llamar a la prefectura: un agente puede pedir cita por usted.\nSi no se ofrece ninguna "
            "cita, puede descargar un certificado que lo demuestra.",
            "pt": "Abrem novos horários todos os dias.\nAs aberturas excecionais são anunciadas na página inicial.\n"
            "Também pode telefonar para a prefeitura: um funcionário pode fazer a marcação por si.\nSe não for "
            "proposto nenhum horário, pode descarregar um certificado que o prova.",
            "ru": "Новое время для записи открывается каждый день.\nО дополнительных днях приёма сообщают на главной "
            "странице.\nМожно также позвонить в префектуру: сотрудник запишет вас.\nЕсли свободного времени нет, "
            "вы можете скачать справку, которая это подтверждает.",
            "tr": "Her gün yeni randevu saatleri açılır.\nOlağanüstü açılışlar ana sayfada duyurulur.\nValiliği de "
            "arayabilirsiniz: bir görevli sizin için randevu alabilir.\nHiç randevu sunulmuyorsa bunu kanıtlayan "
            "bir belge indirebilirsiniz.",
            "zh_hans": "每天都会开放新的时段。\n特别开放会在首页公布。\n您也可以打电话给省政府，工作人员可以为您预约。\n"
            "如果没有任何可预约的时段，您可以下载一份证明。",
        },
    },
    {
        "topic": "fraud",
        "question": {
            "fr": "Quelqu'un me propose un rendez-vous payant.",
            "en": "Someone offers me an appointment for money.",
            "ar": "شخص ما يعرض عليّ موعدًا مقابل المال.",
            "es": "Alguien me ofrece una cita a cambio de dinero.",
            "pt": "Alguém me oferece uma marcação a troco de dinheiro.",
            "ru": "Мне предлагают запись за деньги.",
            "tr": "Birisi bana parayla randevu teklif ediyor.",
            "zh_hans": "有人向我出售预约。",
        },
        "answer": {
            "fr": "Refusez. La prise de rendez-vous est gratuite.\nLe rendez-vous est à votre nom : un rendez-vous "
            "pris au nom d'une autre personne n'est pas honoré.",
            "en": "Say no. Booking is free.\nThe appointment is in your name: an appointment booked in someone "
            "else's name is not honoured.",
            "ar": "ارفض. حجز الموعد مجاني.\nالموعد باسمك: الموعد المحجوز باسم شخص آخر لا يُقبل.",
            "es": "Diga que no. Pedir cita es gratis.\nLa cita está a su nombre: una cita pedida a nombre de otra "
            "persona no se atiende.",
            "pt": "Recuse. A marcação é gratuita.\nA marcação está em seu nome: uma marcação feita em nome de outra "
            "pessoa não é aceite.",
            "ru": "Откажитесь. Запись бесплатная.\nЗапись оформляется на ваше имя: запись на имя другого человека "
            "недействительна.",
            "tr": "Reddedin. Randevu almak ücretsizdir.\nRandevu sizin adınızadır: başka biri adına alınmış randevu "
            "geçerli değildir.",
            "zh_hans": "请拒绝。预约是免费的。\n预约是实名的：用别人名字预约的号不会被受理。",
        },
    },
    {
        "topic": "booking",
        "question": {
            "fr": "Comment déplacer ou annuler mon rendez-vous ?",
            "en": "How do I move or cancel my appointment?",
            "ar": "كيف أغيّر موعدي أو ألغيه؟",
            "es": "¿Cómo cambio o anulo mi cita?",
            "pt": "Como mudo ou cancelo a minha marcação?",
            "ru": "Как перенести или отменить запись?",
            "tr": "Randevumu nasıl değiştirir veya iptal ederim?",
            "zh_hans": "如何更改或取消预约？",
        },
        "answer": {
            "fr": "Suivez le lien de l'e-mail de confirmation.\nVous pouvez déplacer ou annuler jusqu'à quelques "
            "heures avant le rendez-vous.\nSi vous annulez, la place est aussitôt proposée à une autre personne.",
            "en": "Follow the link in the confirmation e-mail.\nYou can move or cancel until a few hours before the "
            "appointment.\nIf you cancel, the place is offered to someone else at once.",
            "ar": "اتبع الرابط الموجود في بريد التأكيد.\nيمكنك تغيير الموعد أو إلغاؤه حتى ساعات قليلة قبله.\n"
            "إذا ألغيت، يُعرض المكان فورًا على شخص آخر.",
            "es": "Siga el enlace del correo de confirmación.\nPuede cambiar o anular la cita hasta unas horas antes.\n"
            "Si anula, la plaza se ofrece enseguida a otra persona.",
            "pt": "Siga a ligação do e-mail de confirmação.\nPode mudar ou cancelar até algumas horas antes da "
            "marcação.\nSe cancelar, a vaga é logo proposta a outra pessoa.",
            "ru": "Перейдите по ссылке из письма с подтверждением.\nПеренести или отменить запись можно за несколько "
            "часов до приёма.\nЕсли вы отмените запись, место сразу предложат другому человеку.",
            "tr": "Onay e-postasındaki bağlantıyı izleyin.\nRandevudan birkaç saat öncesine kadar değiştirebilir veya "
            "iptal edebilirsiniz.\nİptal ederseniz yer hemen başka birine sunulur.",
            "zh_hans": "点击确认邮件中的链接。\n您可以在预约前几个小时之前更改或取消。\n如果您取消，名额会立即提供给其他人。",
        },
    },
    {
        "topic": "documents",
        "question": {
            "fr": "Que faut-il apporter ?",
            "en": "What should I bring?",
            "ar": "ماذا يجب أن أحضر؟",
            "es": "¿Qué tengo que llevar?",
            "pt": "O que devo levar?",
            "ru": "Что нужно взять с собой?",
            "tr": "Yanımda ne getirmeliyim?",
            "zh_hans": "需要带什么？",
        },
        "answer": {
            "fr": "La liste des pièces est sur la page de chaque démarche, dans l'e-mail de confirmation et sur la "
            "convocation.\nApportez les originaux.\nSans les pièces demandées, l'agent ne peut pas enregistrer "
            "votre demande.",
            "en": "The list of documents is on each procedure's page, in the confirmation e-mail and on the "
            "appointment letter.\nBring the originals.\nWithout the documents asked for, the officer cannot "
            "register your application.",
            "ar": "قائمة الوثائق موجودة في صفحة كل إجراء وفي بريد التأكيد وفي الاستدعاء.\nأحضر النسخ الأصلية.\n"
            "بدون الوثائق المطلوبة لا يستطيع الموظف تسجيل طلبك.",
            "es": "La lista de documentos está en la página de cada trámite, en el correo de confirmación y en la "
            "citación.\nLleve los originales.\nSin los documentos pedidos, el agente no puede registrar su "
            "solicitud.",
            "pt": "A lista de documentos está na página de cada procedimento, no e-mail de confirmação e na "
            "convocatória.\nLeve os originais.\nSem os documentos pedidos, o funcionário não pode registar o seu "
            "pedido.",
            "ru": "Список документов есть на странице каждой услуги, в письме с подтверждением и в приглашении.\n"
            "Возьмите оригиналы.\nБез нужных документов сотрудник не сможет принять ваше заявление.",
            "tr": "Belge listesi her işlemin sayfasında, onay e-postasında ve randevu belgesinde yer alır.\n"
            "Asıllarını getirin.\nİstenen belgeler olmadan görevli başvurunuzu kaydedemez.",
            "zh_hans": "材料清单在每项业务的页面、确认邮件和预约通知上。\n请携带原件。\n缺少所需材料，工作人员无法受理您的申请。",
        },
    },
]


def create_general_faq(apps, schema_editor):
    FaqEntry = apps.get_model("prefecture", "FaqEntry")
    if FaqEntry.objects.exists():
        return
    for position, entry in enumerate(ENTRIES, start=1):
        fields = {"topic": entry["topic"], "position": position * 10}
        for language in LANGUAGES:
            fields[f"question_{language}"] = entry["question"][language]
            fields[f"answer_{language}"] = entry["answer"][language]
        # The original columns hold the French text, as for the content that existed before translations.
        FaqEntry.objects.create(question=entry["question"]["fr"], answer=entry["answer"]["fr"], **fields)


class Migration(migrations.Migration):
    dependencies = [("prefecture", "0002_faq_staff_permissions")]

    operations = [migrations.RunPython(create_general_faq, migrations.RunPython.noop)]
