"""Cases of kind rule: a rule and the values a page supplies -> the rule's value.

input: {"rule": text, "values": {name: value}} and optionally "site": {"traits": [...],
"segments": [...]} to compile against the site's names as publishing does (otherwise
any name is allowed). A rule that does not compile gives {"error": message}.
"""

import json

from shopkeeper.engine.rules.compiled import RuleError, compile_rule
from shopkeeper.engine.rules.names import site_vocabulary


def run(given):
    site = given.get("site")
    names = site_vocabulary(site.get("traits", []), site.get("segments", [])) if site is not None else None
    try:
        rule = compile_rule(given["rule"], names)
    except RuleError as error:
        return {"error": str(error)}
    return json.loads(json.dumps(rule.evaluate(given.get("values", {}))))
