from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from portal.guide import SCREENSHOTS, screenshot_static_path

register = template.Library()


@register.simple_tag
def guide_screenshot(name: str):
    """A screenshot the browser walk takes (portal.guide.SCREENSHOTS), as a figure with its description.

    An unknown name is an error, never a broken image: tests/portal/test_guide.py renders every page."""
    description = SCREENSHOTS[name]
    return format_html(
        '<figure class="guide-shot"><img src="{}" alt="{}" width="1280" height="800" loading="lazy">'
        "<figcaption>{}</figcaption></figure>",
        static(screenshot_static_path(name)),
        description,
        description,
    )
