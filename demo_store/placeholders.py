"""Placeholder product images: a small SVG per product, drawn from its category and colour.

A flat illustration (sky, a mountain line, the category's icon in the product's colour),
about 1 KB each, so the demo store needs no photographs and no network.
"""

from __future__ import annotations

import hashlib

__all__ = ["product_svg"]

COLOURS = {
    "forest green": "#2f6b3a", "sand": "#c9ad7a", "slate blue": "#4a6784", "orange": "#e07b2a", "sky blue": "#5ea9d6",
    "charcoal": "#3b3f44", "olive": "#6b7a3a", "grey": "#858b93", "red": "#c2423a", "teal": "#2a8a86",
    "yellow": "#e0ad1f", "blue": "#2f6fb2", "natural": "#cbb894", "green": "#3f8a4a", "silver": "#a3aab3",
    "black": "#26282b", "titanium": "#8d959e", "clear": "#8fc3de", "white": "#e9ecef", "navy": "#243b63",
    "brown": "#7a5232", "dark brown": "#4e3422", "purple": "#6b4a9a",
}
SKIES = {"Camping": ("#f4e9d8", "#e3d3b8"), "Hiking": ("#e4efe6", "#c9ddcd"), "Clothing": ("#e6ecf4", "#cdd8e6"),
         "Climbing": ("#f2e4dc", "#e0c8ba")}

# One icon per leaf category, drawn in a 400 x 300 box with {c} the product colour.
ICONS = {
    "Tents": '<path d="M95 235 200 75l105 160z" fill="{c}"/><path d="M200 235V120l38 115z" fill="#0003"/>'
             '<path d="M200 75v-14" stroke="#333" stroke-width="4"/>',
    "Sleeping Gear": '<rect x="125" y="70" width="150" height="175" rx="70" fill="{c}"/>'
                     '<path d="M200 95v125" stroke="#0004" stroke-width="5" stroke-dasharray="9 7"/>'
                     '<ellipse cx="200" cy="108" rx="42" ry="26" fill="#fff6"/>',
    "Camp Kitchen": '<path d="M135 120h130v95a25 25 0 0 1-25 25h-80a25 25 0 0 1-25-25z" fill="{c}"/>'
                    '<path d="M265 140h18a22 22 0 0 1 0 44h-18" fill="none" stroke="{c}" stroke-width="12"/>'
                    '<path d="M175 100c-10-18 10-24 0-42M205 100c-10-18 10-24 0-42M235 100c-10-18 10-24 0-42" '
                    'fill="none" stroke="#0003" stroke-width="6" stroke-linecap="round"/>',
    "Packs & Accessories": '<rect x="140" y="85" width="120" height="160" rx="30" fill="{c}"/>'
                           '<path d="M140 120q60-50 120 0" fill="#0002"/><rect x="165" y="170" width="70" height="50" rx="12" fill="#0002"/>'
                           '<path d="M175 85v-18a25 25 0 0 1 50 0v18" fill="none" stroke="#333" stroke-width="6"/>',
    "Footwear": '<path d="M130 90h60v80l70 25q25 10 25 35v15H130z" fill="{c}"/><path d="M130 232h155" stroke="#333" stroke-width="12"/>'
                '<path d="M160 110h30M160 130h30M160 150h30" stroke="#fff8" stroke-width="5"/>',
    "Jackets": '<path d="M165 70l-55 30-20 110 35 10 10-60v95h130v-95l10 60 35-10-20-110-55-30q-35 25-70 0z" fill="{c}"/>'
               '<path d="M200 95v170" stroke="#0004" stroke-width="4"/>',
    "Base Layers": '<path d="M170 75l-60 30 20 45 25-12v117h90V138l25 12 20-45-60-30q-30 20-60 0z" fill="{c}"/>'
                   '<path d="M170 75q30 25 60 0" fill="none" stroke="#0003" stroke-width="5"/>',
    "Hardware": '<rect x="150" y="70" width="100" height="170" rx="50" fill="none" stroke="{c}" stroke-width="22"/>'
                '<path d="M250 125v60" stroke="#f5f5f5" stroke-width="26"/><path d="M250 120v70" stroke="#333" stroke-width="8"/>',
}

# Products that the category's icon would misdraw, by a word of their title, first match wins.
SHAPES = (
    ("leggings", '<path d="M150 75h100l10 170h-42l-18-120-18 120h-42z" fill="{c}"/><path d="M150 90h100" stroke="#0003" stroke-width="8"/>'),
    ("pants", '<path d="M150 75h100l10 170h-42l-18-120-18 120h-42z" fill="{c}"/><path d="M150 90h100" stroke="#0003" stroke-width="8"/>'),
    ("beanie", '<path d="M125 200a75 85 0 0 1 150 0z" fill="{c}"/><rect x="115" y="195" width="170" height="36" rx="10" fill="{c}"/>'
               '<path d="M115 206h170" stroke="#0002" stroke-width="6"/><circle cx="200" cy="108" r="16" fill="{c}"/>'),
    ("gloves", '<path d="M150 240v-95q0-20 12-20v-35q0-12 11-12t11 12v-12q0-12 11-12t11 12v10q0-12 11-12t11 12v30l15-15q10-8 16 2-10 20-26 45v85z" fill="{c}"/>'),
    ("socks", '<path d="M160 70h55v110l40 25q20 15 5 35-10 12-30 5l-65-30q-10-5-5-25z" fill="{c}"/><path d="M160 90h55" stroke="#fff8" stroke-width="10"/>'),
    ("neck", '<rect x="145" y="80" width="110" height="160" rx="30" fill="{c}"/><path d="M145 120q55 20 110 0M145 200q55 20 110 0" fill="none" stroke="#0002" stroke-width="6"/>'),
    ("sandals", '<rect x="120" y="190" width="170" height="30" rx="15" fill="#555"/><path d="M150 190q20-60 50 0M215 190q20-50 45 0" fill="none" stroke="{c}" stroke-width="16"/>'),
    ("insoles", '<path d="M200 60c45 0 55 50 45 95-8 35-5 60-10 80-5 15-65 15-70 0-5-20-2-45-10-80-10-45 0-95 45-95z" fill="{c}"/>'),
    ("runner", '<path d="M110 170q30-40 80-40 30 0 60 25l45 20q15 8 15 25v15H110z" fill="{c}"/><path d="M110 228h200" stroke="#333" stroke-width="10"/>'
               '<path d="M170 150l15 25M195 145l15 25" stroke="#fff8" stroke-width="5"/>'),
    ("climbing shoes", '<path d="M100 200q20-60 90-70 40-5 70 20 30 25 45 40v20H100z" fill="{c}"/><path d="M100 215h205" stroke="#333" stroke-width="12"/>'),
    ("filter", '<rect x="170" y="70" width="60" height="30" rx="6" fill="#333"/><path d="M160 100h80l-10 140h-60z" fill="{c}"/><path d="M170 140h60" stroke="#fff6" stroke-width="8"/>'),
    ("jug", '<rect x="130" y="95" width="140" height="145" rx="22" fill="{c}"/><rect x="180" y="70" width="40" height="30" rx="6" fill="#555"/>'
            '<path d="M130 140h140M130 185h140" stroke="#fff7" stroke-width="5"/>'),
    ("bladder", '<path d="M150 80h100q15 0 15 20v110q0 30-65 30t-65-30V100q0-20 15-20z" fill="{c}"/><path d="M265 120q50 20 30 110" fill="none" stroke="#333" stroke-width="6"/>'),
    ("stove", '<path d="M200 95c-25 30-20 55 0 65 20-10 25-35 0-65z" fill="#e98a2a"/><rect x="165" y="160" width="70" height="18" rx="4" fill="{c}"/>'
              '<path d="M150 240l50-62 50 62M200 178v62" stroke="{c}" stroke-width="10" fill="none"/>'),
    ("canister", '<path d="M140 130q0-40 60-40t60 40v95q0 15-15 15h-90q-15 0-15-15z" fill="{c}"/><rect x="185" y="70" width="30" height="24" rx="5" fill="#aaa"/>'
                 '<path d="M140 170h120" stroke="#fff8" stroke-width="10"/>'),
    ("spork", '<path d="M175 70h50v40q0 30-18 40v90h-14v-90q-18-10-18-40z" fill="{c}"/><path d="M192 70v35M208 70v35" stroke="#f4e9d8" stroke-width="6"/>'),
    ("chili", '<path d="M140 75h120l-8 165H148z" fill="#a8452f"/><rect x="140" y="70" width="120" height="18" fill="#555"/><circle cx="200" cy="160" r="32" fill="#f4e9d8"/>'),
    ("pad", '<rect x="110" y="150" width="180" height="60" rx="12" fill="{c}"/><ellipse cx="290" cy="180" rx="30" ry="30" fill="{c}"/>'
            '<path d="M140 150v60M170 150v60M200 150v60M230 150v60" stroke="#0002" stroke-width="5"/>'),
    ("mattress", '<rect x="100" y="140" width="200" height="85" rx="14" fill="{c}"/><path d="M100 170h200M100 195h200" stroke="#0002" stroke-width="5"/>'),
    ("pillow", '<path d="M120 130q80-25 160 0 15 45 0 90-80 25-160 0-15-45 0-90z" fill="{c}"/>'),
    ("headlamp", '<ellipse cx="200" cy="165" rx="95" ry="55" fill="none" stroke="#333" stroke-width="14"/><rect x="165" y="125" width="70" height="60" rx="14" fill="{c}"/>'
                 '<circle cx="200" cy="155" r="18" fill="#ffe9a8"/>'),
    ("poles", '<path d="M170 60l-10 185M230 60l10 185" stroke="{c}" stroke-width="10" stroke-linecap="round"/><rect x="160" y="60" width="20" height="50" rx="6" fill="#9a6b3f"/>'
              '<rect x="220" y="60" width="20" height="50" rx="6" fill="#9a6b3f"/>'),
    ("rope", '<circle cx="200" cy="165" r="75" fill="none" stroke="{c}" stroke-width="18"/><circle cx="200" cy="165" r="50" fill="none" stroke="{c}" stroke-width="14"/>'
             '<circle cx="200" cy="165" r="75" fill="none" stroke="#fff6" stroke-width="3" stroke-dasharray="6 10"/>'),
    ("helmet", '<path d="M110 205a90 95 0 0 1 180 0z" fill="{c}"/><path d="M110 205h180" stroke="#333" stroke-width="10"/>'
               '<path d="M160 130h20M200 120h20M240 130h-5" stroke="#0003" stroke-width="10" stroke-linecap="round"/>'),
    ("chalk bag", '<path d="M140 100h120v110q0 35-60 35t-60-35z" fill="{c}"/><rect x="135" y="90" width="130" height="22" rx="8" fill="#eee"/>'),
    ("chalk", '<path d="M140 100h120l-10 140H150z" fill="#f7f7f7" stroke="#bbb" stroke-width="4"/><rect x="140" y="90" width="120" height="20" fill="{c}"/>'),
    ("harness", '<ellipse cx="200" cy="130" rx="90" ry="30" fill="none" stroke="{c}" stroke-width="18"/><circle cx="160" cy="205" r="32" fill="none" stroke="{c}" stroke-width="14"/>'
                '<circle cx="240" cy="205" r="32" fill="none" stroke="{c}" stroke-width="14"/>'),
    ("tarp", '<path d="M90 225 200 95l110 60v70z" fill="{c}"/><path d="M200 95v130" stroke="#0003" stroke-width="5"/>'),
    ("footprint", '<path d="M90 205 160 150h150l-70 55z" fill="{c}"/>'),
    ("bivy", '<path d="M90 235q10-60 80-70h80q60 5 60 70z" fill="{c}"/><path d="M170 165q-40 30-40 70" fill="none" stroke="#0003" stroke-width="5"/>'),
    ("beach", '<path d="M100 235a100 110 0 0 1 200 0z" fill="{c}"/><path d="M150 235a50 60 0 0 1 100 0z" fill="#0003"/>'),
)


def product_svg(category: tuple[str, ...], colour: str, product_id: str, title: str = "") -> str:
    top, leaf = category[0], category[-1]
    sky, hills = SKIES.get(top, ("#eeeeee", "#dddddd"))
    fill = COLOURS.get(colour.strip().lower()) or _colour_of(product_id)
    shape = next((drawing for word, drawing in SHAPES if word in title.lower()), None)
    icon = (shape or ICONS.get(leaf, '<circle cx="200" cy="160" r="70" fill="{c}"/>')).replace("{c}", fill)
    peak = 120 + int(hashlib.sha256(product_id.encode()).hexdigest()[:2], 16) % 120
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="400" height="300">'
        f'<rect width="400" height="300" fill="{sky}"/>'
        f'<path d="M0 215 {peak} 130l60 45 70-70 170 110v85H0z" fill="{hills}"/>'
        '<rect y="245" width="400" height="55" fill="#0000000d"/>'
        f"{icon}</svg>\n"
    )


def _colour_of(product_id: str) -> str:
    """A steady colour for products without one (food, for instance)."""
    palette = list(COLOURS.values())
    return palette[int(hashlib.sha256(product_id.encode()).hexdigest()[:4], 16) % len(palette)]
