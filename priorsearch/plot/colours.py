"""One colour per template, the same in every figure (Okabe & Ito 2008, colour-blind safe).

Aligned programs in cool colours, deceptive ones in warm colours, proxies (goal
misgeneralisation, after Hubinger) in purple-grey.  The phase diagrams
key them by template name, the experiments by label (Hfh, Hsd, ...); both come from
this one table.
"""
from __future__ import annotations

__all__ = ["PALETTE", "PROXY_PALETTE", "TEMPLATE_COLOURS", "LABEL_COLORS", "TIE_STYLES"]

#: Okabe & Ito (2008), safe for the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")

#: template name -> (label, colour)
_TEMPLATES = {"honest": ("Hfh", "#0072B2"), "simple_deceptive": ("Hsd", "#E69F00"),
              "fast_deceptive": ("Hfd", "#D55E00"), "hybrid": ("Hhyb", "#CC79A7"),
              "derive_and_pursue": ("Henv", "#009E73"),
              # the programs of the lossy and camera models (programs/lossy, programs/camera)
              "lossy_honest": ("Hfh'", "#56B4E9"), "camera_proxy": ("Hcam", "#882255"),
              "camera_deceptive": ("Hcd", "#AA4499")}

TEMPLATE_COLOURS = {name: colour for name, (_, colour) in _TEMPLATES.items()}

#: colours of proxy programs that no template names (purple-grey, Tol's muted scheme):
#: a phase diagram gives them these before the general palette, so a proxy region never
#: looks like an aligned (cool) or deceptive (warm) one
PROXY_PALETTE = ("#882255", "#999999", "#999933", "#332288")

#: label -> colour, plus the experiments' catch-all categories
LABEL_COLORS = {**{label: colour for label, colour in _TEMPLATES.values()},
                "none": "#DDDDDD", "other aligned": "#56B4E9", "other deceptive": "#F0E442",
                "other proxy": "#999999"}

#: (colour, dash) of the k-th tie curve of a diagram: dark, so they show on the region
#: colours and on the mass colour map, and dashed differently, so they show in grey print
TIE_STYLES = (("black", "solid"), ("#6A0DAD", "dashed"), ("#8B0000", "dashdot"), ("#004D40", "dotted"),
              ("#333333", (0, (5, 1, 1, 1, 1, 1))), ("#3E2723", (0, (8, 2))))
