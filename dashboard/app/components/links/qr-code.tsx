import { DownloadIcon } from 'lucide-react';
import { QRCodeSVG } from 'qrcode.react';
import { useRef } from 'react';
import { Button } from '~/components/ui/button';
import { downloadBlob } from './download';

const PNG_SIZE = 1024;

/**
 * The link as a QR code (dark on white whatever the theme, so phones read it), downloadable as
 * PNG (for print and chat) or SVG (for design tools).
 */
export function LinkQrCode({ value, filename }: { value: string; filename: string }) {
  const svgBox = useRef<HTMLDivElement>(null);

  // The file is drawn from the SVG on the page (no second, hidden QR code redrawn on every keystroke).
  const svgText = (size: number) => {
    const svg = svgBox.current?.querySelector('svg');
    if (!svg) return null;
    const copy = svg.cloneNode(true) as SVGSVGElement;
    copy.setAttribute('width', String(size));
    copy.setAttribute('height', String(size));
    copy.removeAttribute('role');
    copy.removeAttribute('aria-label');
    return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}`;
  };
  const saveSvg = () => {
    const text = svgText(512);
    if (text) downloadBlob(new Blob([text], { type: 'image/svg+xml' }), `${filename}.svg`);
  };
  const savePng = () => {
    const text = svgText(PNG_SIZE);
    if (!text) return;
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = PNG_SIZE;
      canvas.height = PNG_SIZE;
      const context = canvas.getContext('2d');
      if (!context) return;
      context.fillStyle = '#ffffff';
      context.fillRect(0, 0, PNG_SIZE, PNG_SIZE);
      context.drawImage(image, 0, 0, PNG_SIZE, PNG_SIZE);
      canvas.toBlob((blob) => {
        if (blob) downloadBlob(blob, `${filename}.png`);
      }, 'image/png');
    };
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  };

  return (
    <div className="flex flex-col items-center gap-3 sm:flex-row sm:items-start">
      <div ref={svgBox} className="shrink-0 overflow-hidden rounded-lg border bg-white">
        <QRCodeSVG
          value={value}
          size={144}
          marginSize={3}
          level="M"
          bgColor="#ffffff"
          fgColor="#0a0a0a"
          xmlns="http://www.w3.org/2000/svg"
          role="img"
          aria-label="QR code of the tracking link"
        />
      </div>
      <div className="flex flex-col gap-2 text-sm">
        <p className="max-w-56 text-center text-muted-foreground text-xs sm:text-left">
          Scans open the link on a phone; every scan is a tracked click.
        </p>
        <div className="flex gap-2">
          <Button type="button" variant="outline" size="sm" onClick={savePng}>
            <DownloadIcon aria-hidden /> PNG
          </Button>
          <Button type="button" variant="outline" size="sm" onClick={saveSvg}>
            <DownloadIcon aria-hidden /> SVG
          </Button>
        </div>
      </div>
    </div>
  );
}
