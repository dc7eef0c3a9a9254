import { bearer, json, startHttp } from './http-util.js';

/**
 * A local AT Protocol PDS for replies: `com.atproto.server.createSession` (identifier + app
 * password), `com.atproto.repo.getRecord` and `com.atproto.repo.createRecord`, with XRPC errors
 * (`{ error, message }`) and an `ExpiredToken` answer on demand.
 */
export interface AtprotoRecord {
  uri: string;
  cid: string;
  value: Record<string, unknown>;
}

export interface AtprotoDouble {
  origin: string;
  records: Map<string, AtprotoRecord>;
  created: Array<{ repo: string; collection: string; record: Record<string, unknown> }>;
  sessions: number;
  /** The next authenticated call answers 400 ExpiredToken. */
  expireNextToken(): void;
  close(): Promise<void>;
}

export async function startAtprotoDouble(account: { did: string; handle: string; appPassword: string }): Promise<AtprotoDouble> {
  const records = new Map<string, AtprotoRecord>();
  const created: AtprotoDouble['created'] = [];
  const tokens = new Set<string>();
  let sessions = 0;
  let expire = false;
  let seq = 0;
  const http = await startHttp((req, res, url, body) => {
    const nsid = url.pathname.replace(/^\/xrpc\//, '');
    if (nsid === 'com.atproto.server.createSession' && req.method === 'POST') {
      const input = JSON.parse(body || '{}') as { identifier?: string; password?: string };
      if ((input.identifier !== account.handle && input.identifier !== account.did) || input.password !== account.appPassword) {
        return json(res, 401, { error: 'AuthenticationRequired', message: 'Invalid identifier or password' });
      }
      sessions++;
      const accessJwt = `jwt-${sessions}`;
      tokens.add(accessJwt);
      return json(res, 200, { accessJwt, refreshJwt: `refresh-${sessions}`, handle: account.handle, did: account.did, active: true });
    }
    const token = bearer(req);
    if (!token || !tokens.has(token)) return json(res, 401, { error: 'AuthenticationRequired', message: 'Authentication Required' });
    if (expire) {
      expire = false;
      tokens.delete(token);
      return json(res, 400, { error: 'ExpiredToken', message: 'Token has expired' });
    }
    if (nsid === 'com.atproto.repo.getRecord' && req.method === 'GET') {
      const uri = `at://${url.searchParams.get('repo')}/${url.searchParams.get('collection')}/${url.searchParams.get('rkey')}`;
      const record = records.get(uri);
      return record ? json(res, 200, record) : json(res, 400, { error: 'RecordNotFound', message: `Could not locate record: ${uri}` });
    }
    if (nsid === 'com.atproto.repo.createRecord' && req.method === 'POST') {
      const input = JSON.parse(body || '{}') as { repo: string; collection: string; record: Record<string, unknown> };
      if (input.repo !== account.did) return json(res, 400, { error: 'InvalidRequest', message: 'repo must be the session DID' });
      created.push(input);
      const rkey = `3reply${++seq}`;
      const uri = `at://${account.did}/${input.collection}/${rkey}`;
      records.set(uri, { uri, cid: `bafyreply${seq}`, value: input.record });
      return json(res, 200, { uri, cid: `bafyreply${seq}`, commit: { cid: 'bafycommit', rev: 'rev' } });
    }
    return json(res, 501, { error: 'MethodNotImplemented', message: nsid });
  });
  return {
    origin: http.origin,
    records,
    created,
    get sessions() {
      return sessions;
    },
    expireNextToken() {
      expire = true;
    },
    close: () => http.close(),
  };
}
