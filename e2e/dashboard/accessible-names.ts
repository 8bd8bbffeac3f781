import type { Page } from 'playwright-core';

/** Roles of form controls: each needs a name a screen reader can say. */
const CONTROL_ROLES = new Set([
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
]);

export type UnnamedControl = { role: string; element: string };

type AXValue = { value?: unknown };
type AXNode = {
  nodeId: string;
  ignored: boolean;
  role?: AXValue;
  name?: AXValue;
  backendDOMNodeId?: number;
};

/**
 * Form controls on the page without an accessible name, as Chromium itself computes names (its
 * accessibility tree over CDP): a second opinion beside axe's label rules, hidden inputs excluded.
 */
export async function unnamedControls(page: Page): Promise<UnnamedControl[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const unnamed: UnnamedControl[] = [];
    for (const node of nodes) {
      const role = String(node.role?.value ?? '');
      if (node.ignored || !CONTROL_ROLES.has(role)) continue;
      if (String(node.name?.value ?? '').trim()) continue;
      let element = `(node ${node.nodeId})`;
      if (node.backendDOMNodeId !== undefined) {
        const { node: dom } = (await cdp.send('DOM.describeNode', {
          backendNodeId: node.backendDOMNodeId,
        })) as { node: { localName: string; attributes?: string[] } };
        const attributes = dom.attributes ?? [];
        const pairs: string[] = [];
        for (let i = 0; i + 1 < attributes.length; i += 2)
          if (['id', 'name', 'type', 'placeholder', 'class'].includes(attributes[i]!))
            pairs.push(`${attributes[i]}="${attributes[i + 1]!.slice(0, 60)}"`);
        element = `<${dom.localName} ${pairs.join(' ')}>`;
      }
      unnamed.push({ role, element });
    }
    return unnamed;
  } finally {
    await cdp.detach();
  }
}
