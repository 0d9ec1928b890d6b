from django.template import Context, Template

from booking.forms import IdentityForm


def test_a_form_with_errors_renders_its_messages_linked_to_the_fields():
    form = IdentityForm(data={})
    assert not form.is_valid()
    html = Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))
    assert 'aria-describedby="id_last_name-messages"' in html
    assert "Ce champ est obligatoire." in html
