import {
  ActivityIcon,
  BanknoteIcon,
  BarChart3Icon,
  BriefcaseIcon,
  Building2Icon,
  ClipboardCheckIcon,
  CodeIcon,
  FileTextIcon,
  GaugeIcon,
  ImageIcon,
  LandmarkIcon,
  LayoutDashboardIcon,
  LinkIcon,
  type LucideIcon,
  MegaphoneIcon,
  PlugZapIcon,
  ReceiptIcon,
  ScrollTextIcon,
  SendIcon,
  ServerCogIcon,
  ShieldIcon,
  SparklesIcon,
  TrendingUpIcon,
  UserRoundSearchIcon,
  UsersIcon,
  WalletIcon,
} from 'lucide-react';

export type Role = 'admin' | 'advertiser' | 'affiliate';
export type NavItem = { to: string; label: string; icon: LucideIcon };
export type NavGroup = { label: string | null; items: NavItem[] };

const dashboard: NavItem = { to: '/dashboard', label: 'Dashboard', icon: LayoutDashboardIcon };
const reports: NavItem = { to: '/reports', label: 'Reports', icon: BarChart3Icon };
const conversions: NavItem = { to: '/conversions', label: 'Conversions', icon: ReceiptIcon };
const live: NavItem = { to: '/live', label: 'Live feed', icon: ActivityIcon };
const balance: NavItem = { to: '/balance', label: 'Balance', icon: WalletIcon };
const payouts: NavItem = { to: '/payouts', label: 'Payouts', icon: BanknoteIcon };
const invoices: NavItem = { to: '/invoices', label: 'Invoices', icon: FileTextIcon };
// Advertisers' and admins' only: affiliates have no ad accounts here.
const adPlatforms: NavItem = { to: '/ad-platforms', label: 'Ad platforms', icon: PlugZapIcon };
const roi: NavItem = { to: '/reports/roi', label: 'ROI', icon: TrendingUpIcon };

/** What each role finds in the sidebar, in the order of its daily work. */
export const NAVIGATION: Record<Role, NavGroup[]> = {
  affiliate: [
    { label: null, items: [dashboard] },
    {
      label: 'Promote',
      items: [
        { to: '/offers', label: 'Offers', icon: BriefcaseIcon },
        { to: '/links', label: 'Link builder', icon: LinkIcon },
        { to: '/creatives', label: 'Creatives', icon: ImageIcon },
        { to: '/postbacks', label: 'Postbacks', icon: SendIcon },
      ],
    },
    { label: 'Results', items: [reports, conversions, balance, payouts, live] },
  ],
  advertiser: [
    { label: null, items: [dashboard] },
    {
      label: 'Offers',
      items: [
        { to: '/offers', label: 'Offers', icon: BriefcaseIcon },
        { to: '/campaigns', label: 'Campaigns', icon: MegaphoneIcon },
        { to: '/creatives', label: 'Creatives', icon: ImageIcon },
        { to: '/creatives/studio', label: 'Creative studio', icon: SparklesIcon },
        { to: '/applications', label: 'Applications', icon: ClipboardCheckIcon },
        { to: '/integration', label: 'Integration', icon: CodeIcon },
        adPlatforms,
      ],
    },
    { label: 'Results', items: [conversions, reports, roi, balance, invoices, live] },
  ],
  admin: [
    { label: null, items: [dashboard] },
    {
      label: 'Network',
      items: [
        { to: '/offers', label: 'Offers', icon: BriefcaseIcon },
        { to: '/advertisers', label: 'Advertisers', icon: Building2Icon },
        { to: '/affiliates', label: 'Affiliates', icon: UsersIcon },
        { to: '/applications', label: 'Applications', icon: ClipboardCheckIcon },
        { to: '/campaigns', label: 'Campaigns', icon: MegaphoneIcon },
        { to: '/creatives', label: 'Creatives', icon: ImageIcon },
        adPlatforms,
      ],
    },
    {
      label: 'Results',
      items: [
        conversions,
        reports,
        roi,
        { to: '/balance', label: 'Ledger', icon: LandmarkIcon },
        invoices,
        payouts,
        { to: '/postbacks', label: 'Postbacks', icon: SendIcon },
        live,
      ],
    },
    {
      label: 'Operations',
      items: [
        { to: '/users', label: 'Users', icon: ShieldIcon },
        { to: '/audit', label: 'Audit log', icon: ScrollTextIcon },
        { to: '/privacy', label: 'Privacy requests', icon: UserRoundSearchIcon },
        { to: '/network', label: 'Network settings', icon: ServerCogIcon },
        { to: '/system', label: 'System', icon: GaugeIcon },
      ],
    },
  ],
};
