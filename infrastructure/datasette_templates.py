"""The Jinja templates of the /-/stratlog pages (Datasette's base.html around them; autoescaped)."""

PAGE = """{% extends "base.html" %}
{% block title %}stratlog {{ view }}{% endblock %}
{% block extra_head %}<style>
.stratlog-form p { margin: 0.3em 0; } .stratlog-form label { display: inline-block; min-width: 8em; }
.stratlog-form small { color: #666; margin-left: 0.5em; } .stratlog-note { color: #555; font-size: 0.9em; }
</style>{% endblock %}
{% block content %}
<h1>{{ view }}</h1>
<p>{{ title }}</p>
<p class="stratlog-nav">{% for other in views %}<a href="{{ urls.path('/-/stratlog/' ~ other) }}">{{ other }}</a>{% if not loop.last %} · {% endif %}{% endfor %}
 · <a href="{{ urls.path('/stratlog/statements') }}">statements</a></p>
<form class="stratlog-form" id="stratlog-form" action="{{ urls.path('/-/stratlog/' ~ view) }}" method="get">
{% for field, value in fields %}<p><label for="field-{{ field.name }}">{{ field.label }}</label>
{% if field.name == "live" %}<input type="checkbox" id="field-live" name="live" value="1"{% if value %} checked{% endif %}>
{% else %}<input type="text" id="field-{{ field.name }}" name="{{ field.name }}" value="{{ value or '' }}" placeholder="{{ field.hint }}"{% if field.name == "brand" %} list="brands"{% endif %}>
{% endif %}<small>{{ field.option }}</small></p>
{% endfor %}<datalist id="brands">{% for brand in brands %}<option value="{{ brand }}">{% endfor %}</datalist>
<p><input type="submit" value="Answer"> <a id="json-link" href="{{ json_url }}">JSON</a></p>
</form>
<p class="stratlog-note">{{ note }}</p>
{% if error %}<p class="message-error" id="error">{{ error }}</p>{% endif %}
{% if single is not none %}<table class="rows-and-columns" id="state">
{% for c in single %}<tr><th>{{ c.column }}</th><td data-column="{{ c.column }}" data-value="{{ c.value }}">{{ c.text }}</td></tr>
{% endfor %}</table>
{% for key, table in tables %}<h2>{{ key }}</h2>{{ grid(table, "state-" ~ key) }}{% endfor %}
{% elif table is not none %}{% if table.cells %}{{ grid(table, "rows") }}{% else %}<p id="empty">{{ empty }}</p>{% endif %}{% endif %}
{% endblock %}
"""
GRID = """{% macro grid(table, id) %}<div class="table-wrapper"><table class="rows-and-columns" id="{{ id }}">
<thead><tr>{% for column in table.columns %}<th data-column="{{ column }}" scope="col">{{ column }}</th>{% endfor %}</tr></thead>
<tbody>{% for row in table.cells %}<tr>{% for c in row %}<td data-column="{{ c.column }}" data-value="{{ c.value }}"{% if c.title %} title="{{ c.title }}"{% endif %}>{{ c.text }}</td>{% endfor %}</tr>
{% endfor %}</tbody></table></div>{% endmacro %}"""
INDEX = """{% extends "base.html" %}
{% block title %}stratlog{% endblock %}
{% block content %}<h1>stratlog</h1>
<ul>{% for view, title in views %}<li><a href="{{ urls.path('/-/stratlog/' ~ view) }}">{{ view }}</a>: {{ title }}</li>{% endfor %}
<li><a href="{{ urls.path('/stratlog/statements') }}">statements</a>: the log, one row per statement, as text.</li></ul>
<p class="stratlog-note">{{ note }}</p>{% endblock %}
"""
