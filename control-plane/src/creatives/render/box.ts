/** A rectangle in pixels of the creative, origin top-left. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function box(x: number, y: number, width: number, height: number): Box {
  return { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) };
}

export function inset(b: Box, top: number, right = top, bottom = top, left = right): Box {
  return box(b.x + left, b.y + top, b.width - left - right, b.height - top - bottom);
}

export function intersect(a: Box, b: Box): Box {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const right = Math.min(a.x + a.width, b.x + b.width);
  const bottom = Math.min(a.y + a.height, b.y + b.height);
  return box(x, y, Math.max(0, right - x), Math.max(0, bottom - y));
}

export function contains(outer: Box, inner: Box): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

/** CSS for an absolutely positioned element covering the box. */
export function placeAt(b: Box) {
  return { position: 'absolute', left: b.x, top: b.y, width: b.width, height: b.height } as const;
}
