import { render, screen } from '@testing-library/react';
import { useEffect, useState } from 'react';
import { describe, expect, it } from 'vitest';
import { type ColumnDef, DataTable } from './data-table';

type Row = { id: number; name: string };
const ROWS: Row[] = [
  { id: 1, name: 'Alpha' },
  { id: 2, name: 'Beta' },
];

/** A cell that counts its mounts (a cell holding a fetcher registers it on mount). */
function Counted({ name, mounts }: { name: string; mounts: Map<string, number> }) {
  const [label] = useState(() => name);
  useEffect(() => {
    mounts.set(label, (mounts.get(label) ?? 0) + 1);
  }, [label, mounts]);
  return <span>{label}</span>;
}

/** Columns made in render, as pages make them: a new array and new functions every time. */
function Page({ mounts, tick }: { mounts: Map<string, number>; tick: number }) {
  const columns: ColumnDef<Row, unknown>[] = [
    { accessorKey: 'name', header: () => <span>Name {tick}</span> },
    {
      id: 'counted',
      header: 'Counted',
      cell: ({ row }) => <Counted name={row.original.name} mounts={mounts} />,
    },
  ];
  return <DataTable columns={columns} data={ROWS} caption="Rows" />;
}

describe('DataTable', () => {
  it('keeps cells mounted when the page re-renders with columns made anew', () => {
    const mounts = new Map<string, number>();
    const view = render(<Page mounts={mounts} tick={1} />);
    view.rerender(<Page mounts={mounts} tick={2} />);
    view.rerender(<Page mounts={mounts} tick={3} />);
    // The new header function was used (the page did re-render) ...
    expect(screen.getByText('Name 3')).toBeTruthy();
    // ... and each cell mounted once, not once per render.
    expect(Object.fromEntries(mounts)).toEqual({ Alpha: 1, Beta: 1 });
  });

  it('renders accessor values when a column gives no cell', () => {
    render(<Page mounts={new Map()} tick={1} />);
    expect(screen.getAllByRole('row').map((row) => row.textContent)).toEqual([
      'Name 1Counted',
      'AlphaAlpha',
      'BetaBeta',
    ]);
  });
});
