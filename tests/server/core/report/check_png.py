"""Checks a screenshot of the HTML audit report: that it rendered (not
blank) and that the SVG timelines are there (the figure line's colour,
#1565c0, used by nothing else on the page). Uses Debian's python3-pil.

Usage: check_png.py FILE MIN_TIMELINES
"""
import sys

from PIL import Image

FIGURE = (0x15, 0x65, 0xC0)


def near(pixel, colour, tolerance=24):
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour))


image = Image.open(sys.argv[1]).convert("RGB")
width, height = image.size
pixels = image.load()
non_white = 0
colours = set()
figure_rows = set()
for y in range(0, height):
    for x in range(0, width, 2):
        p = pixels[x, y]
        colours.add(p)
        if p[0] < 240 or p[1] < 240 or p[2] < 240:
            non_white += 1
        if near(p, FIGURE):
            figure_rows.add(y)

sampled = (width // 2) * height
if non_white < sampled * 0.02:
    print("FAIL: blank page (%d of %d sampled pixels not white)"
          % (non_white, sampled))
    sys.exit(1)
if len(colours) < 20:
    print("FAIL: only %d colours: nothing much rendered" % len(colours))
    sys.exit(1)
# Count separate bands of rows that hold the figure colour: one per figure
# lane drawn.
bands = 0
previous = -10
for y in sorted(figure_rows):
    if y > previous + 40:
        bands += 1
    previous = y
if bands < int(sys.argv[2]):
    print("FAIL: %d figure timelines seen, expected at least %s"
          % (bands, sys.argv[2]))
    sys.exit(1)
print("OK: %dx%d, %d colours, %d non-white samples, %d figure timelines"
      % (width, height, len(colours), non_white, bands))
