/**
 * Satori's element tree without React or JSX: `{ type, props }` objects, which satori accepts as
 * they are. `h()` keeps layouts readable and drops `false`/`null` children, so optional parts are
 * written as `cond && h(...)`.
 */
export type Style = Record<string, string | number>;
export type Child = Element | string | null | undefined | false;
export interface Element {
  type: string;
  props: { style?: Style; children?: Element | string | (Element | string)[]; [attribute: string]: unknown };
}

export function h(
  type: string,
  props: { style?: Style; [attribute: string]: unknown },
  ...children: Child[]
) {
  const kept = children.filter((c): c is Element | string => c !== null && c !== undefined && c !== false);
  const element: Element = { type, props: { ...props } };
  if (kept.length === 1) element.props.children = kept[0];
  else if (kept.length > 1) element.props.children = kept;
  return element;
}
