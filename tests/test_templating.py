from contractgen.model import Ref, Strong, Text, plain_text
from contractgen.render.parse import parse_blocks
from contractgen.templating import environment


def render(source: str, **context):
    return environment().from_string(source).render(**context)


def test_user_text_is_data_not_template():
    text = render("Name: {{ name }}", name="{{ 7*7 }} {% for x in ().__class__ %}")
    blocks = parse_blocks(text)
    assert plain_text(blocks[0].content) == "Name: {{ 7*7 }} {% for x in ().__class__ %}"


def test_user_text_is_not_markdown():
    text = render("{{ name }}", name="**fett** - [link](x) <b>html</b> 1. eins\n- zwei")
    blocks = parse_blocks(text)
    assert len(blocks) == 1 and not blocks[0].lists
    assert blocks[0].content == (Text("**fett** - [link](x) <b>html</b> 1. eins - zwei"),)


def test_refs_and_labels_become_nodes():
    text = render('{{ absatz("staffel") }}Siehe {{ ref("kuendigung") }} und **{{ ref("a", "b") }}**.')
    (paragraph,) = parse_blocks(text)
    assert paragraph.label == "staffel"
    assert paragraph.content[1] == Ref("kuendigung")
    assert isinstance(paragraph.content[3], Strong)
    assert paragraph.content[3].children == (Ref("a", "b"),)


def test_lists_belong_to_the_paragraph_before():
    blocks = parse_blocks("Die Leistungen:\n\n- eins\n- zwei\n\nZweiter Absatz.")
    assert len(blocks) == 2
    assert [plain_text(i) for i in blocks[0].lists[0].items] == ["eins", "zwei"]


def test_sandbox_blocks_attribute_escapes():
    import pytest
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        render("{{ ''.__class__.__mro__[1].__subclasses__() }}")
