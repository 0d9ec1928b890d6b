"""Phone numbers keep their left-to-right order in a right-to-left page (prefecture/templatetags/bidi.py)."""

from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from booking.antibot.forms import HumanCheck


def test_the_ltr_filter_isolates_and_escapes_its_text():
    template = Template("{% load bidi %}[{{ phone|ltr }}][{{ empty|ltr }}]")
    html = template.render(Context({"phone": "+33 4 <b>67</b>", "empty": ""}))
    assert html == '[<bdi dir="ltr">+33 4 &lt;b&gt;67&lt;/b&gt;</bdi>][]'


def test_the_phone_number_under_the_anti_robot_check_keeps_its_plus_before_its_digits_in_arabic():
    with translation.override("ar"):
        html = render_to_string(
            "booking/_antibot.html", {"check": HumanCheck(purpose="hold"), "phone": "+33 4 67 61 61 61"}
        )
    # Without the isolate, an Arabic line draws the "+" after the digits: "33 4 67 61 61 61+".
    assert 'يمكنك أيضًا حجز موعد بالهاتف على الرقم <bdi dir="ltr">+33 4 67 61 61 61</bdi> أو' in html
