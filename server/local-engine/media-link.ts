import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { INITIAL_PEER_STATUS, type MediaCommand, type MediaEvent, type PeerStatus } from './media-protocol.ts';
// Types only: the engine's own process never loads node-webrtc.
import type { PersonaPeerOptions } from './persona-peer.ts';
import type { NodeIceCandidate } from './webrtc.ts';

/** How long a closing engine waits for its media process to free its calls before killing it. */
const CLOSE_GRACE_MS = 2000;

/** PersonaPeer's options, but a failure says why: the call failed, or the media process holding it stopped. */
export type RemotePeerOptions = Omit<PersonaPeerOptions, 'onFailed'> & { onFailed: (reason: string) => void };

/** One session's persona peer, held in the media process: the same face PersonaPeer has, asynchronously. */
export class RemotePeer {
  status: PeerStatus = INITIAL_PEER_STATUS;
  private answerWaiter:
    { resolve: (answer: { type: 'answer'; sdp: string }) => void; reject: (error: Error) => void } | undefined;
  private closed = false;

  constructor(
    readonly id: string,
    readonly options: RemotePeerOptions,
    private readonly command: (command: MediaCommand) => void,
    private readonly forget: (peer: RemotePeer) => void,
  ) {}

  /** Applies the client's offer in the media process and returns its answer. */
  answer(offer: { type: string; sdp: string }): Promise<{ type: 'answer'; sdp: string }> {
    return new Promise((resolve, reject) => {
      this.answerWaiter = { resolve, reject };
      this.command({ type: 'answer', peerId: this.id, offer });
    });
  }

  addRemoteCandidate(candidate: NodeIceCandidate): void {
    this.command({ type: 'candidate', peerId: this.id, candidate });
  }

  /** Sends on the `session` data channel (held until it opens, dropped once the visitor has gone). */
  send(message: object): void {
    if (!this.closed) this.command({ type: 'send', peerId: this.id, message });
  }

  /** The persona says this: voice, mouth and captions. */
  say(text: string): void {
    if (!this.closed) this.command({ type: 'say', peerId: this.id, text });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.command({ type: 'close', peerId: this.id });
    this.forget(this);
  }

  /** What the media process reported about this peer. */
  receive(event: Exclude<MediaEvent, { type: 'ready' }>): void {
    switch (event.type) {
      case 'answered':
        this.answerWaiter?.resolve(event.answer);
        break;
      case 'answer-failed':
        this.answerWaiter?.reject(new Error(event.reason));
        break;
      case 'local-candidate':
        this.options.onLocalCandidate(event.candidate);
        break;
      case 'connected':
        this.options.onConnected();
        break;
      case 'failed':
        this.options.onFailed('media connection failed');
        break;
      case 'hung-up':
        this.options.onHangUp();
        break;
      case 'client-message':
        this.options.onClientMessage(event.message);
        break;
      case 'user-message':
        this.options.onUserMessage(event.message);
        break;
      case 'status':
        this.status = event.status;
        break;
    }
  }

  /** The media process stopped under this peer: the call is gone. */
  lost(): void {
    if (this.closed) return;
    this.closed = true;
    this.answerWaiter?.reject(new Error('the media process stopped'));
    this.options.onFailed('media process stopped');
  }
}

/**
 * The engine's end of its media process (media-process.ts): forks it when a session needs a peer,
 * routes commands and events by peer, and when it dies — a native crash — fails the calls it held
 * and starts a new one for the next session.
 */
export class MediaLink {
  private child: ChildProcess | undefined;
  private ready = false;
  private queued: MediaCommand[] = [];
  private readonly peers = new Map<string, RemotePeer>();

  constructor(private readonly log: FastifyBaseLogger) {}

  /** The media process's pid, once started (tests crash it on purpose). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Starts the media process ahead of the first offer, so the answer does not wait for it. */
  warmUp(): void {
    this.ensureChild();
  }

  createPeer(options: RemotePeerOptions): RemotePeer {
    const child = this.ensureChild();
    const peer = new RemotePeer(
      randomUUID(),
      options,
      (command) => this.command(child, command),
      (closed) => this.peers.delete(closed.id),
    );
    this.peers.set(peer.id, peer);
    this.command(child, {
      type: 'open',
      peerId: peer.id,
      video: options.video,
      speechCharsPerSecond: options.speechCharsPerSecond,
    });
    return peer;
  }

  /** Stops the media process once it has freed its calls (killed if it does not within the grace). */
  async close(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    const self = new URL(import.meta.url);
    // Built, this file is .js beside media-process.js; run from source by tsx, both are .ts.
    const fromSource = self.pathname.endsWith('.ts');
    const child = fork(new URL(`./media-process.${fromSource ? 'ts' : 'js'}`, self), [], {
      execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    this.ready = false;
    child.on('message', (event: MediaEvent) => {
      if (event.type === 'ready') {
        this.ready = true;
        for (const command of this.queued.splice(0)) child.send(command);
      } else {
        this.peers.get(event.peerId)?.receive(event);
      }
    });
    child.on('error', (error) => this.log.error({ reason: error.message }, 'local engine media process error'));
    child.on('exit', (code, signal) => this.childExited(child, code, signal));
    return child;
  }

  private command(child: ChildProcess, command: MediaCommand): void {
    // A peer of a process that has since died: its calls are already failed.
    if (child !== this.child) return;
    if (!this.ready) this.queued.push(command);
    else if (child.connected) child.send(command);
  }

  private childExited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (child !== this.child) return;
    this.child = undefined;
    this.queued = [];
    const lost = [...this.peers.values()];
    this.peers.clear();
    this.log.error(
      { code, signal, callsLost: lost.length },
      'local engine media process stopped; its calls ended and the next session starts a new one',
    );
    for (const peer of lost) peer.lost();
  }
}
