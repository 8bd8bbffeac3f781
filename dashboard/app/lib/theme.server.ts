import { createCookie } from 'react-router';

export type Theme = 'light' | 'dark' | 'system';

const themeCookie = createCookie('tas_theme', {
  path: '/',
  sameSite: 'lax',
  httpOnly: true,
  maxAge: 365 * 86_400,
});

export async function themeOf(request: Request): Promise<Theme> {
  const value: unknown = await themeCookie.parse(request.headers.get('cookie'));
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function setTheme(theme: Theme): Promise<string> {
  return themeCookie.serialize(theme);
}
