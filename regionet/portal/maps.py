"""Small region maps drawn on the server as inline SVG from the regions' GeoJSON boundaries.

No JavaScript and no map tiles: each region is one ``<path>`` in a simple equirectangular
projection (longitudes shrunk by the cosine of the map's middle latitude, so the north is not
stretched sideways), scaled to the viewBox. Highlighted regions carry a fill, a hatch pattern
and a thick outline, so that colour is never the only cue; the SVG is one image
(``role="img"``) whose accessible name is given by the caller, and the page lists the
highlighted regions as text next to it.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# The drawing's width in viewBox units; its height follows the regions' shape.
WIDTH = 200
# Colours of the site's palette (regionet.css): brand blue on a light blue, grey outlines.
HIGHLIGHT_FILL = "#dbe8f7"
HIGHLIGHT_LINE = "#003479"
OTHER_FILL = "#eef0f1"
OTHER_LINE = "#5f686d"


def _polygons(geometry) -> list:
    """The polygons (lists of rings of [lon, lat]) of a GeoJSON Polygon or MultiPolygon."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


@dataclass(frozen=True)
class _Shape:
    region_id: int
    path: str


class RegionMap:
    """The outlines of ``regions`` projected once; ``svg()`` draws them with some highlighted.

    Regions without a boundary are left out of the drawing (never out of the text list).
    """

    def __init__(self, regions: Iterable):
        outlines = [(region.pk, _polygons(region.boundary)) for region in regions]
        outlines = [(pk, polygons) for pk, polygons in outlines if polygons]
        points = [
            point
            for _pk, polygons in outlines
            for polygon in polygons
            for ring in polygon
            for point in ring
        ]
        self.region_ids = frozenset(pk for pk, _polygons in outlines)
        if not points:
            self.width = self.height = 0
            self._shapes = []
            return
        lons = [point[0] for point in points]
        lats = [point[1] for point in points]
        self._shrink = math.cos(math.radians((min(lats) + max(lats)) / 2))
        self._west, self._north = min(lons), max(lats)
        span_x = (max(lons) - self._west) * self._shrink or 1
        span_y = (self._north - min(lats)) or 1
        self._scale = WIDTH / span_x
        self.width = WIDTH
        self.height = math.ceil(span_y * self._scale)
        self._shapes = [_Shape(pk, self._path(polygons)) for pk, polygons in outlines]

    def __bool__(self):
        return bool(self._shapes)

    def _xy(self, point) -> tuple[float, float]:
        lon, lat = point[0], point[1]
        x = (lon - self._west) * self._shrink * self._scale
        y = (self._north - lat) * self._scale
        return round(x, 1), round(y, 1)

    def _path(self, polygons) -> str:
        parts = []
        for polygon in polygons:
            for ring in polygon:
                # Points that round to the previous one add bytes, not detail.
                xys = []
                for point in ring:
                    xy = self._xy(point)
                    if not xys or xy != xys[-1]:
                        xys.append(xy)
                if len(xys) < 3:
                    continue
                coordinates = " ".join(f"{x:g} {y:g}" for x, y in xys)
                parts.append(f"M{coordinates}Z")
        return "".join(parts)

    def svg(self, *, highlighted: Iterable[int], label: str, id_prefix: str) -> SafeString:
        """The map with the regions whose ids are in ``highlighted`` marked.

        ``label`` is the image's accessible name (escaped here); ``id_prefix`` keeps the
        pattern's id unique when a page shows several maps.
        """
        if not self:
            return SafeString("")
        highlighted = frozenset(highlighted)
        pattern_id = f"{id_prefix}-hatch"
        others = [shape for shape in self._shapes if shape.region_id not in highlighted]
        marked = [shape for shape in self._shapes if shape.region_id in highlighted]
        other_paths = format_html_join(
            "",
            '<path d="{}" fill="{}" stroke="{}" stroke-width="0.75" '
            'vector-effect="non-scaling-stroke"/>',
            ((shape.path, OTHER_FILL, OTHER_LINE) for shape in others),
        )
        # Drawn last, so that their thick outlines lie on top of their neighbours'.
        marked_paths = format_html_join(
            "",
            '<path d="{}" fill="url(#{})" stroke="{}" stroke-width="2" '
            'vector-effect="non-scaling-stroke"/>',
            ((shape.path, pattern_id, HIGHLIGHT_LINE) for shape in marked),
        )
        return format_html(
            '<svg class="region-map" role="img" aria-label="{label}" focusable="false" '
            'xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            'width="{display_width}" height="{display_height}" fill-rule="evenodd">'
            '<defs><pattern id="{pattern_id}" patternUnits="userSpaceOnUse" width="4" '
            'height="4" patternTransform="rotate(45)">'
            '<rect width="4" height="4" fill="{fill}"/>'
            '<line x1="1" y1="0" x2="1" y2="4" stroke="{line}" stroke-width="1.2"/>'
            "</pattern></defs>{other_paths}{marked_paths}</svg>",
            label=label,
            width=self.width,
            height=self.height,
            display_width=160,
            display_height=math.ceil(160 * self.height / self.width),
            pattern_id=pattern_id,
            fill=HIGHLIGHT_FILL,
            line=HIGHLIGHT_LINE,
            other_paths=other_paths,
            marked_paths=marked_paths,
        )
