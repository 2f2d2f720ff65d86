import { create } from 'zustand';

/** A location inside the app: a page id and its path segments, kept in the URL hash (#/data/dataset/3). */
export interface Route {
  page: string;
  segments: string[];
}

function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  return { page: parts[0] ?? '', segments: parts.slice(1) };
}

interface RouterState {
  route: Route;
  /** Goes to `#/page/seg1/seg2`. */
  navigate(page: string, ...segments: (string | number)[]): void;
}

export const useRouter = create<RouterState>((set) => {
  window.addEventListener('hashchange', () => set({ route: parseHash(window.location.hash) }));
  return {
    route: parseHash(window.location.hash),
    navigate(page, ...segments) {
      window.location.hash = `#/${[page, ...segments.map((s) => encodeURIComponent(String(s)))].join('/')}`;
    },
  };
});
