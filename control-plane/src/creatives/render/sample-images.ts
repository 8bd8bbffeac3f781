import sharp from 'sharp';

/**
 * Synthetic images for the tests, the benchmark and the examples, drawn from SVG so the
 * repository needs no binary fixtures: a product cut-out (transparent PNG), a landscape photo
 * (JPEG, the master of image edits) and a logo.
 */

export function sampleProduct(size = 900): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="900" viewBox="0 0 600 900">
  <defs>
    <linearGradient id="glass" x1="0" x2="1"><stop offset="0" stop-color="#b45309"/><stop offset="0.35" stop-color="#f59e0b"/><stop offset="0.6" stop-color="#fbbf24"/><stop offset="1" stop-color="#92400e"/></linearGradient>
    <linearGradient id="cap" x1="0" x2="1"><stop offset="0" stop-color="#111827"/><stop offset="0.45" stop-color="#4b5563"/><stop offset="1" stop-color="#111827"/></linearGradient>
    <linearGradient id="label" x1="0" x2="1"><stop offset="0" stop-color="#e5e7eb"/><stop offset="0.5" stop-color="#ffffff"/><stop offset="1" stop-color="#d1d5db"/></linearGradient>
  </defs>
  <rect x="250" y="40" width="100" height="150" rx="26" fill="url(#cap)"/>
  <rect x="230" y="170" width="140" height="70" rx="12" fill="url(#cap)"/>
  <path d="M190 250 h220 a60 60 0 0 1 60 60 v500 a60 60 0 0 1 -60 60 h-220 a60 60 0 0 1 -60 -60 v-500 a60 60 0 0 1 60 -60z" fill="url(#glass)"/>
  <rect x="150" y="430" width="300" height="260" rx="14" fill="url(#label)"/>
  <rect x="190" y="480" width="220" height="26" rx="13" fill="#111827"/>
  <rect x="215" y="530" width="170" height="14" rx="7" fill="#9ca3af"/>
  <rect x="235" y="560" width="130" height="14" rx="7" fill="#9ca3af"/>
  <circle cx="300" cy="630" r="22" fill="#f59e0b"/>
  <rect x="170" y="280" width="26" height="540" rx="13" fill="#ffffff" opacity="0.35"/>
</svg>`;
  return sharp(Buffer.from(svg)).resize({ height: size }).png().toBuffer();
}

export function samplePhoto(width = 1600, height = 1067): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1067" viewBox="0 0 1600 1067">
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#1e3a8a"/><stop offset="0.55" stop-color="#f97316"/><stop offset="0.75" stop-color="#fde68a"/></linearGradient>
    <radialGradient id="sun" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="#fff7ed"/><stop offset="0.4" stop-color="#fed7aa"/><stop offset="1" stop-color="#fb923c" stop-opacity="0"/></radialGradient>
    <linearGradient id="lake" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#fb923c"/><stop offset="1" stop-color="#1e293b"/></linearGradient>
  </defs>
  <rect width="1600" height="1067" fill="url(#sky)"/>
  <circle cx="1040" cy="560" r="260" fill="url(#sun)"/>
  <path d="M0 640 L180 470 L330 590 L520 380 L700 560 L860 450 L1060 620 L1250 430 L1420 560 L1600 480 V760 H0Z" fill="#7c2d12" opacity="0.85"/>
  <path d="M0 700 L240 560 L420 660 L640 520 L900 690 L1120 580 L1380 700 L1600 620 V800 H0Z" fill="#431407"/>
  <rect y="760" width="1600" height="307" fill="url(#lake)"/>
  <rect x="860" y="780" width="360" height="10" rx="5" fill="#fff7ed" opacity="0.6"/>
  <rect x="900" y="815" width="280" height="8" rx="4" fill="#fff7ed" opacity="0.45"/>
  <rect x="950" y="845" width="180" height="6" rx="3" fill="#fff7ed" opacity="0.3"/>
  <path d="M300 1067 L340 860 L360 860 L400 1067Z" fill="#0f172a"/>
  <circle cx="350" cy="830" r="90" fill="#14532d"/><circle cx="300" cy="880" r="70" fill="#166534"/><circle cx="400" cy="890" r="75" fill="#15803d"/>
</svg>`;
  return sharp(Buffer.from(svg)).resize(width, height).jpeg({ quality: 88 }).toBuffer();
}

export function sampleLogo(): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120" viewBox="0 0 480 120">
  <circle cx="60" cy="60" r="52" fill="#0ea5e9"/><path d="M34 62 L54 82 L88 40" fill="none" stroke="#ffffff" stroke-width="14" stroke-linecap="round" stroke-linejoin="round"/>
  <rect x="134" y="30" width="300" height="26" rx="13" fill="#0f172a"/><rect x="134" y="70" width="200" height="18" rx="9" fill="#64748b"/>
</svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}
