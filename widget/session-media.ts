/** The persona's video and the audio beside it, inside the widget's shadow root. */
export interface SessionMedia {
  video: HTMLVideoElement;
  audio: HTMLAudioElement;
}

/**
 * Made with the first session, not in the first render: a page's first media element is the costliest
 * part of including the widget (the browser sets up its media controls and their styles), and nothing
 * plays before a session. The stage keeps its size without them (its aspect ratio sets it).
 */
export function createSessionMedia(label: string): SessionMedia {
  const video = document.createElement('video');
  for (const name of ['playsinline', 'muted', 'autoplay']) video.setAttribute(name, '');
  // The attribute sets `muted` only on a parsed element: autoplay needs the property as well.
  video.muted = true;
  // Firefox makes a video a Tab stop even without controls; this one has nothing to operate.
  video.tabIndex = -1;
  video.setAttribute('part', 'video');
  video.setAttribute('aria-label', label);
  const audio = document.createElement('audio');
  audio.autoplay = true;
  return { video, audio };
}
