"""The topics a resident chooses from out of the box, for every site, in every shipped language; staff change
them in the admin (booking/questions/admin.py). Left alone when topics exist already."""

from django.db import migrations

TOPICS = [
    (
        "renewal",
        {
            "fr": "Renouvellement d'un titre de séjour",
            "en": "Renewing a residence permit",
            "ar": "تجديد بطاقة الإقامة",
            "es": "Renovación de un permiso de residencia",
            "pt": "Renovação de uma autorização de residência",
            "ru": "Продление вида на жительство",
            "tr": "Oturma izninin yenilenmesi",
            "zh_hans": "居留证续签",
        },
    ),
    (
        "first_application",
        {
            "fr": "Première demande de titre de séjour",
            "en": "First residence permit application",
            "ar": "طلب أول لبطاقة الإقامة",
            "es": "Primera solicitud de permiso de residencia",
            "pt": "Primeiro pedido de autorização de residência",
            "ru": "Первое заявление на вид на жительство",
            "tr": "İlk oturma izni başvurusu",
            "zh_hans": "首次申请居留证",
        },
    ),
    (
        "card_delivery",
        {
            "fr": "Remise du titre",
            "en": "Collecting the permit",
            "ar": "تسلّم البطاقة",
            "es": "Entrega del permiso",
            "pt": "Entrega da autorização",
            "ru": "Получение документа",
            "tr": "Belgenin teslimi",
            "zh_hans": "领取居留证",
        },
    ),
    (
        "",
        {
            "fr": "Où en est mon dossier",
            "en": "Progress of my file",
            "ar": "أين وصل ملفي",
            "es": "Estado de mi expediente",
            "pt": "Situação do meu processo",
            "ru": "Состояние моего дела",
            "tr": "Dosyamın durumu",
            "zh_hans": "我的申请进度",
        },
    ),
    (
        "driving_licence",
        {
            "fr": "Échange de permis de conduire",
            "en": "Exchanging a driving licence",
            "ar": "استبدال رخصة القيادة",
            "es": "Canje del permiso de conducir",
            "pt": "Troca da carta de condução",
            "ru": "Обмен водительского удостоверения",
            "tr": "Sürücü belgesi değişimi",
            "zh_hans": "驾照换领",
        },
    ),
    (
        "other",
        {
            "fr": "Autre question",
            "en": "Other question",
            "ar": "سؤال آخر",
            "es": "Otra pregunta",
            "pt": "Outra pergunta",
            "ru": "Другой вопрос",
            "tr": "Diğer soru",
            "zh_hans": "其他问题",
        },
    ),
]


def create_topics(apps, schema_editor):
    Topic = apps.get_model("questions", "Topic")
    if Topic.objects.exists():
        return
    for position, (faq_topic, names) in enumerate(TOPICS, start=1):
        Topic.objects.create(
            name=names["fr"],
            faq_topic=faq_topic,
            position=position,
            **{f"name_{code}": name for code, name in names.items()},
        )


class Migration(migrations.Migration):
    dependencies = [("questions", "0002_information_service_permissions")]

    operations = [migrations.RunPython(create_topics, migrations.RunPython.noop)]
