"""What a content slot shows: `slots` chooses a variant and renders it, `templates` is the one
sandboxed Jinja2 environment, `markup` keeps only safe URLs in decisions."""
