#!/usr/bin/env python3
"""Writes the parity corpus: tests/parity/cases/<name>/{auth.json,config.toml,env,about}.

Every case is a crafted Codex home: an optional auth.json (written byte for byte, so duplicate
keys and odd spacing survive), an optional config.toml, and optional environment variables (one
NAME=value per line in `env`). `about` says what the case probes, in one line.

The corpus is committed; this generator exists so it can be re-made or extended. It needs
Python 3 with the `cryptography` package (to sign Agent Identity JWTs with the demo RSA key in
assets/demo/, which only the embedded mock backend trusts). All tokens are fake: ChatGPT tokens
are unsigned, API keys are made up, Agent Identity keys are derived from fixed public seeds.

Usage: scripts/parity-corpus.py [OUT_DIR]   (default tests/parity/cases; the directory is replaced)
"""

import base64
import hashlib
import json
import os
import shutil
import sys

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "parity", "cases")
FAR = 4102444800  # 2100-01-01
ISS = "https://chatgpt.com/codex-backend/agent-identity"
AUD = "codex-app-server"
KID = "authdeck-demo-key-1"


def b64u(data, pad=False):
    s = base64.urlsafe_b64encode(data).decode()
    return s if pad else s.rstrip("=")


def unsigned(payload, pad=False):
    head = b64u(json.dumps({"alg": "none", "typ": "JWT"}, separators=(",", ":")).encode())
    body = b64u(json.dumps(payload, separators=(",", ":")).encode(), pad)
    return f"{head}.{body}.c2ln"


with open(os.path.join(ROOT, "assets", "demo", "demo-rsa-private-key.pem"), "rb") as fh:
    RSA = serialization.load_pem_private_key(fh.read(), password=None)


def signed(payload, header=None, pad=False, raw_payload=None):
    header = header if header is not None else {"alg": "RS256", "typ": "JWT", "kid": KID}
    h = b64u(json.dumps(header, separators=(",", ":")).encode())
    body = raw_payload if raw_payload is not None else json.dumps(payload, separators=(",", ":"))
    p = b64u(body.encode(), pad)
    sig = RSA.sign(f"{h}.{p}".encode(), padding.PKCS1v15(), hashes.SHA256())
    return f"{h}.{p}.{b64u(sig)}"


def pkcs8_v2(seed):
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    der = bytes.fromhex("3051020101300506032b657004220420") + seed + bytes.fromhex("812100") + pub
    return base64.b64encode(der).decode()


AGENT_KEY = pkcs8_v2(bytes([0x11]) * 32)
RECORD_KEY = pkcs8_v2(bytes([0x22]) * 32)
STRANGER_KEY = pkcs8_v2(bytes([0x33]) * 32)

ID_CLAIMS = {
    "email": "parity@example.com",
    "https://api.openai.com/auth": {
        "chatgpt_user_id": "user-parity",
        "chatgpt_plan_type": "pro",
        "chatgpt_account_id": "account-parity",
        "chatgpt_account_is_fedramp": False,
    },
}


def id_token(plan="pro", **over):
    claims = json.loads(json.dumps(ID_CLAIMS))
    claims["https://api.openai.com/auth"]["chatgpt_plan_type"] = plan
    for k, v in over.items():
        claims["https://api.openai.com/auth"][k] = v
    return unsigned(claims)


ACCESS = unsigned({"exp": FAR, "https://api.openai.com/auth": {"chatgpt_account_id": "account-parity"}})


def tokens(**over):
    t = {
        "id_token": id_token(),
        "access_token": ACCESS,
        "refresh_token": "rt-parity-0001",
        "account_id": "account-parity",
    }
    for k, v in over.items():
        if v is DROP:
            t.pop(k, None)
        else:
            t[k] = v
    return t


DROP = object()


def doc(**members):
    return {k: v for k, v in members.items() if v is not DROP}


def chatgpt_doc(**over):
    d = {"auth_mode": "chatgpt", "OPENAI_API_KEY": None, "tokens": tokens(),
         "last_refresh": "2026-11-01T10:00:00.123456Z"}
    for k, v in over.items():
        if v is DROP:
            d.pop(k, None)
        else:
            d[k] = v
    return d


def agent_claims(**over):
    c = {
        "iss": ISS, "aud": AUD, "iat": 1790000000, "exp": FAR,
        "agent_runtime_id": "parity-agent", "agent_private_key": AGENT_KEY,
        "account_id": "account-parity", "chatgpt_user_id": "user-parity",
        "email": "parity@example.com", "plan_type": "pro", "chatgpt_account_is_fedramp": False,
    }
    for k, v in over.items():
        if v is DROP:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def agent_doc(token):
    return {"auth_mode": "agentIdentity", "OPENAI_API_KEY": None, "agent_identity": token}


def record(**over):
    r = {
        "agent_runtime_id": "parity-record", "agent_private_key": RECORD_KEY,
        "account_id": "account-parity", "chatgpt_user_id": "user-parity",
        "email": "parity@example.com", "plan_type": "pro", "chatgpt_account_is_fedramp": False,
        "task_id": "task-parity-1",
    }
    for k, v in over.items():
        if v is DROP:
            r.pop(k, None)
        else:
            r[k] = v
    return r


OLD_SHAPE = {"workspace_id": "ws-1", "registered_at": "2026-03-01T00:00:00Z",
             "background_task_id": "bg-1", "agent_runtime_id": "old-agent"}
API_KEY = "sk-proj-parity1234567890ABCDE"
PAT = "at-parity-0123456789abcdef"

cases = []
FIFO = object()


def case(name, about, auth=None, config=None, env=None, raw=None):
    cases.append((name, about, auth, config, env, raw))


GOOD_JWT = signed(agent_claims())
CHATGPT = chatgpt_doc()

# --- ChatGPT logins -------------------------------------------------------------------------
case("chatgpt-ok", "a complete ChatGPT login", CHATGPT)
case("chatgpt-no-auth-mode", "ChatGPT tokens, auth_mode absent", chatgpt_doc(auth_mode=DROP))
case("chatgpt-tokens-last-refresh-only", "only tokens + last_refresh",
     doc(tokens=tokens(), last_refresh="2026-11-01T10:00:00Z"))
case("chatgpt-no-refresh-token", "tokens without refresh_token", chatgpt_doc(tokens=tokens(refresh_token=DROP)))
case("chatgpt-null-refresh-token", "refresh_token null", chatgpt_doc(tokens=tokens(refresh_token=None)))
case("chatgpt-empty-refresh-token", "refresh_token empty string", chatgpt_doc(tokens=tokens(refresh_token="")))
case("chatgpt-number-refresh-token", "refresh_token a number", chatgpt_doc(tokens=tokens(refresh_token=7)))
case("chatgpt-no-last-refresh", "last_refresh absent", chatgpt_doc(last_refresh=DROP))
case("chatgpt-null-last-refresh", "last_refresh null", chatgpt_doc(last_refresh=None))
case("chatgpt-last-refresh-words", "last_refresh not RFC 3339", chatgpt_doc(last_refresh="yesterday"))
case("chatgpt-last-refresh-date-only", "last_refresh a bare date", chatgpt_doc(last_refresh="2026-11-01"))
case("chatgpt-last-refresh-offset", "last_refresh with +02:00 offset",
     chatgpt_doc(last_refresh="2026-11-01T10:00:00+02:00"))
case("chatgpt-last-refresh-no-zone", "last_refresh without a zone",
     chatgpt_doc(last_refresh="2026-11-01T10:00:00"))
case("chatgpt-last-refresh-number", "last_refresh a number", chatgpt_doc(last_refresh=1790000000))
case("chatgpt-last-refresh-empty", "last_refresh empty string", chatgpt_doc(last_refresh=""))
case("chatgpt-id-token-padded", "id_token payload base64 with padding",
     chatgpt_doc(tokens=tokens(id_token=unsigned(dict(ID_CLAIMS, x="ab"), pad=True))))
case("chatgpt-id-token-not-jwt", "id_token not a JWT", chatgpt_doc(tokens=tokens(id_token="not-a-jwt")))
case("chatgpt-id-token-missing", "id_token absent", chatgpt_doc(tokens=tokens(id_token=DROP)))
case("chatgpt-id-token-null", "id_token null", chatgpt_doc(tokens=tokens(id_token=None)))
case("chatgpt-id-token-payload-not-json", "id_token payload is not JSON",
     chatgpt_doc(tokens=tokens(id_token=b64u(b'{"alg":"none"}') + "." + b64u(b"hello") + ".c2ln")))
case("chatgpt-id-token-empty-claims", "id_token payload {}", chatgpt_doc(tokens=tokens(id_token=unsigned({}))))
case("chatgpt-access-token-missing", "access_token absent", chatgpt_doc(tokens=tokens(access_token=DROP)))
case("chatgpt-access-token-opaque", "access_token not a JWT", chatgpt_doc(tokens=tokens(access_token="opaque")))
case("chatgpt-access-token-expired", "access token expired (Codex refreshes later)",
     chatgpt_doc(tokens=tokens(access_token=unsigned({"exp": 1000000000}))))
case("chatgpt-account-id-null", "tokens.account_id null", chatgpt_doc(tokens=tokens(account_id=None)))
case("chatgpt-account-id-missing", "tokens.account_id absent", chatgpt_doc(tokens=tokens(account_id=DROP)))
case("chatgpt-account-id-number", "tokens.account_id a number", chatgpt_doc(tokens=tokens(account_id=5)))
case("chatgpt-tokens-null", "auth_mode chatgpt, tokens null", chatgpt_doc(tokens=None))
case("chatgpt-tokens-missing", "auth_mode chatgpt, no tokens", chatgpt_doc(tokens=DROP))
case("chatgpt-tokens-string", "tokens a string", chatgpt_doc(tokens="abc"))
case("chatgpt-tokens-extra-member", "tokens with an unknown member",
     chatgpt_doc(tokens=tokens(extra="x")))
case("chatgpt-plan-promax", "plan promax", chatgpt_doc(tokens=tokens(id_token=id_token("promax"))))
case("chatgpt-plan-sci", "plan sci", chatgpt_doc(tokens=tokens(id_token=id_token("sci"))))
case("chatgpt-plan-sci-plus", "plan sci_plus", chatgpt_doc(tokens=tokens(id_token=id_token("sci_plus"))))
case("chatgpt-plan-unknown", "an unknown plan string", chatgpt_doc(tokens=tokens(id_token=id_token("mystery-tier"))))
case("chatgpt-plan-uppercase", "plan in capitals", chatgpt_doc(tokens=tokens(id_token=id_token("PRO"))))
case("chatgpt-fedramp-string", "id_token fedramp claim as a string",
     chatgpt_doc(tokens=tokens(id_token=id_token(chatgpt_account_is_fedramp="true"))))
case("chatgpt-no-email", "id_token without an email",
     chatgpt_doc(tokens=tokens(id_token=unsigned({"https://api.openai.com/auth": ID_CLAIMS["https://api.openai.com/auth"]}))))
case("chatgpt-unknown-top-level-key", "an unknown top-level member", chatgpt_doc(extra_thing={"a": 1}))
case("chatgpt-key-null-explicit", "OPENAI_API_KEY null, no auth_mode", chatgpt_doc(auth_mode=DROP, OPENAI_API_KEY=None))
case("chatgpt-empty-key-no-mode", "OPENAI_API_KEY \"\" beside tokens, no auth_mode",
     chatgpt_doc(auth_mode=DROP, OPENAI_API_KEY=""))
case("chatgpt-empty-key-chatgpt-mode", "OPENAI_API_KEY \"\" beside tokens, auth_mode chatgpt",
     chatgpt_doc(OPENAI_API_KEY=""))
case("chatgpt-key-number", "OPENAI_API_KEY a number", chatgpt_doc(OPENAI_API_KEY=42))
case("chatgpt-auth-mode-number", "auth_mode a number", chatgpt_doc(auth_mode=1))
case("chatgpt-auth-mode-capitalised", "auth_mode \"ChatGPT\"", chatgpt_doc(auth_mode="ChatGPT"))
case("chatgpt-auth-mode-null", "auth_mode null", chatgpt_doc(auth_mode=None))
case("chatgpt-auth-tokens-mode", "auth_mode chatgptAuthTokens on disk", chatgpt_doc(auth_mode="chatgptAuthTokens"))
case("chatgpt-auth-mode-unknown", "auth_mode \"foo\"", chatgpt_doc(auth_mode="foo"))
case("chatgpt-agent-number", "agent_identity a number beside tokens", chatgpt_doc(agent_identity=7))
case("chatgpt-agent-old-shape", "older agent_identity object beside tokens", chatgpt_doc(agent_identity=OLD_SHAPE))
case("chatgpt-agent-null", "agent_identity null beside tokens", chatgpt_doc(agent_identity=None))
case("chatgpt-agent-empty-object", "agent_identity {} beside tokens", chatgpt_doc(agent_identity={}))
case("chatgpt-agent-record", "a valid record beside tokens, auth_mode chatgpt", chatgpt_doc(agent_identity=record()))
case("chatgpt-agent-bad-record", "a record missing plan_type beside tokens, auth_mode chatgpt",
     chatgpt_doc(agent_identity=record(plan_type=DROP)))
case("chatgpt-agent-garbage-string", "agent_identity a non-JWT string beside tokens",
     chatgpt_doc(agent_identity="garbage"))
case("chatgpt-pat-number", "personal_access_token a number beside tokens", chatgpt_doc(personal_access_token=5))
case("chatgpt-duplicate-top-level", "auth_mode given twice", None,
     raw='{\n  "auth_mode": "chatgpt",\n  "auth_mode": "chatgpt",\n  "tokens": ' + json.dumps(tokens()) + '\n}\n')
case("chatgpt-duplicate-in-tokens", "refresh_token given twice inside tokens", None,
     raw='{\n  "auth_mode": "chatgpt",\n  "tokens": ' + json.dumps(tokens())[:-1] + ', "refresh_token": "rt-2"}\n}\n')
case("chatgpt-compact", "the whole document on one line", None, raw=json.dumps(CHATGPT))
case("chatgpt-bom", "a UTF-8 byte order mark before the JSON", None, raw="\ufeff" + json.dumps(CHATGPT))
case("chatgpt-trailing-comma", "a trailing comma", None, raw=json.dumps(CHATGPT)[:-1] + ",}")

# --- whole-file shapes ----------------------------------------------------------------------
case("file-empty-object", "{}", {})
case("file-empty", "an empty file", None, raw="")
case("file-null", "the JSON null", None, raw="null\n")
case("file-array", "a JSON array", None, raw="[]\n")
case("file-garbage", "not JSON", None, raw="hello\n")
case("no-file", "no auth.json at all", None)

# --- API keys -------------------------------------------------------------------------------
case("apikey-ok", "auth_mode apikey with a key", doc(auth_mode="apikey", OPENAI_API_KEY=API_KEY))
case("apikey-no-mode", "a key, no auth_mode", doc(OPENAI_API_KEY=API_KEY))
case("apikey-mode-missing-key", "auth_mode apikey without a key", doc(auth_mode="apikey"))
case("apikey-mode-null-key", "auth_mode apikey, key null", doc(auth_mode="apikey", OPENAI_API_KEY=None))
case("apikey-empty", "auth_mode apikey, key \"\"", doc(auth_mode="apikey", OPENAI_API_KEY=""))
case("apikey-empty-no-mode", "only OPENAI_API_KEY \"\"", doc(OPENAI_API_KEY=""))
case("apikey-blank", "auth_mode apikey, key of spaces", doc(auth_mode="apikey", OPENAI_API_KEY="   "))
case("apikey-short", "a 10-character key", doc(auth_mode="apikey", OPENAI_API_KEY="sk-short12"))
case("apikey-with-tokens-mode-apikey", "key + tokens, auth_mode apikey",
     chatgpt_doc(auth_mode="apikey", OPENAI_API_KEY=API_KEY))
case("apikey-with-tokens-no-mode", "key + tokens, no auth_mode (key wins)",
     chatgpt_doc(auth_mode=DROP, OPENAI_API_KEY=API_KEY))
case("apikey-mode-with-bad-tokens", "auth_mode apikey, tokens missing refresh_token",
     chatgpt_doc(auth_mode="apikey", OPENAI_API_KEY=API_KEY, tokens=tokens(refresh_token=DROP)))

# --- Agent Identity JWT (checked against the mock backend) ----------------------------------
case("jwt-ok", "a good Agent Identity JWT", agent_doc(GOOD_JWT))
case("jwt-no-mode", "a JWT, no auth_mode", doc(agent_identity=GOOD_JWT))
case("jwt-aud-array", "aud an array", agent_doc(signed(agent_claims(aud=[AUD]))))
for claim in ["iat", "exp", "account_id", "chatgpt_user_id", "plan_type", "chatgpt_account_is_fedramp",
              "agent_runtime_id", "agent_private_key", "iss", "aud", "email"]:
    case(f"jwt-missing-{claim.replace('_', '-')}", f"JWT without `{claim}`",
         agent_doc(signed(agent_claims(**{claim: DROP}))))
case("jwt-fedramp-string", "chatgpt_account_is_fedramp \"false\"",
     agent_doc(signed(agent_claims(chatgpt_account_is_fedramp="false"))))
case("jwt-plan-null", "plan_type null", agent_doc(signed(agent_claims(plan_type=None))))
case("jwt-plan-promax", "plan promax", agent_doc(signed(agent_claims(plan_type="promax"))))
case("jwt-expired", "exp in the past", agent_doc(signed(agent_claims(exp=1000000000, iat=999990000))))
case("jwt-wrong-issuer", "another issuer", agent_doc(signed(agent_claims(iss="https://evil.example"))))
case("jwt-wrong-audience", "another audience", agent_doc(signed(agent_claims(aud="someone-else"))))
case("jwt-no-kid", "header without kid", agent_doc(signed(agent_claims(), header={"alg": "RS256", "typ": "JWT"})))
case("jwt-unknown-kid", "a kid not in the JWKS",
     agent_doc(signed(agent_claims(), header={"alg": "RS256", "typ": "JWT", "kid": "nope"})))
case("jwt-bad-signature", "a signature that does not verify", agent_doc(GOOD_JWT[:-6] + "AAAAAA"))
case("jwt-alg-none", "alg none", agent_doc(unsigned(agent_claims())))
case("jwt-padded", "payload base64 with padding",
     agent_doc(signed(agent_claims(email="pad@example.co"), pad=True)))
case("jwt-not-jwt", "agent_identity a plain string", agent_doc("not-a-jwt"))
case("jwt-bad-private-key", "agent_private_key not a key", agent_doc(signed(agent_claims(agent_private_key="AAAA"))))
case("jwt-unknown-runtime", "good JWT, the backend does not know the runtime (registration 404)",
     agent_doc(signed(agent_claims(agent_runtime_id="parity-stranger", agent_private_key=STRANGER_KEY))))
case("jwt-mode-missing-identity", "auth_mode agentIdentity without agent_identity",
     doc(auth_mode="agentIdentity", OPENAI_API_KEY=None))
case("jwt-beside-tokens-chatgpt", "a JWT beside tokens, auth_mode chatgpt", chatgpt_doc(agent_identity=GOOD_JWT))

# --- Agent Identity record ------------------------------------------------------------------
case("record-ok", "a record with a task id", agent_doc(record()))
case("record-no-task", "a record without a task id (registers one)", agent_doc(record(task_id=DROP)))
case("record-blank-task", "a record with task_id \"\"", agent_doc(record(task_id="")))
for field in ["account_id", "chatgpt_user_id", "plan_type", "chatgpt_account_is_fedramp", "email"]:
    case(f"record-missing-{field.replace('_', '-')}", f"a record without `{field}`",
         agent_doc(record(**{field: DROP})))
case("record-fedramp-null", "chatgpt_account_is_fedramp null", agent_doc(record(chatgpt_account_is_fedramp=None)))
case("record-fedramp-string", "chatgpt_account_is_fedramp \"false\"",
     agent_doc(record(chatgpt_account_is_fedramp="false")))
case("record-account-null", "account_id null", agent_doc(record(account_id=None)))
case("record-plan-number", "plan_type a number", agent_doc(record(plan_type=3)))
case("record-extra-member", "a record with an unknown member", agent_doc(record(note="x")))
case("record-old-shape", "an older object shape in agentIdentity mode", agent_doc(OLD_SHAPE))
case("record-beside-tokens-agent-mode", "record + tokens, auth_mode agentIdentity",
     chatgpt_doc(auth_mode="agentIdentity", agent_identity=record()))

# --- personal access tokens and Bedrock -----------------------------------------------------
case("pat-ok", "auth_mode personalAccessToken with a token", doc(auth_mode="personalAccessToken", personal_access_token=PAT))
case("pat-no-mode", "personal_access_token, no auth_mode", doc(personal_access_token=PAT))
case("pat-mode-missing", "auth_mode personalAccessToken without a token", doc(auth_mode="personalAccessToken"))
case("pat-beside-tokens-no-mode", "a PAT beside tokens, no auth_mode", chatgpt_doc(auth_mode=DROP, personal_access_token=PAT))
BEDROCK_KEY = {"api_key": "bedrock-parity-key", "region": "us-east-1"}
BEDROCK_ACCESS = {"access_key_id": "AKIAPARITY", "secret_access_key": "s3cr3t"}
case("bedrock-key-no-mode", "bedrock_api_key object, no auth_mode", doc(bedrock_api_key=BEDROCK_KEY))
case("bedrock-key-mode", "auth_mode bedrockApiKey with a key", doc(auth_mode="bedrockApiKey", bedrock_api_key=BEDROCK_KEY))
case("bedrock-key-string", "bedrock_api_key a bare string", doc(bedrock_api_key="bedrock-parity-key"))
case("bedrock-key-no-region", "bedrock_api_key without region", doc(bedrock_api_key={"api_key": "k"}))
case("bedrock-key-extra-member", "bedrock_api_key with an unknown member",
     doc(bedrock_api_key=dict(BEDROCK_KEY, expires_at=None)))
case("bedrock-key-mode-missing", "auth_mode bedrockApiKey without a key", doc(auth_mode="bedrockApiKey"))
case("bedrock-access-keys", "bedrock_access_keys, no auth_mode", doc(bedrock_access_keys=BEDROCK_ACCESS))
case("bedrock-access-keys-mode", "auth_mode bedrockAccessKeys with keys",
     doc(auth_mode="bedrockAccessKeys", bedrock_access_keys=BEDROCK_ACCESS))
case("bedrock-access-keys-session", "bedrock_access_keys with a session token",
     doc(bedrock_access_keys=dict(BEDROCK_ACCESS, session_token="tok")))
case("bedrock-access-keys-no-secret", "bedrock_access_keys without the secret",
     doc(bedrock_access_keys={"access_key_id": "AKIAPARITY"}))
case("bedrock-access-keys-extra-member", "bedrock_access_keys with an unknown member",
     doc(bedrock_access_keys=dict(BEDROCK_ACCESS, note="x")))
case("bedrock-access-keys-empty", "bedrock_access_keys {}", doc(bedrock_access_keys={}))
case("pat-empty", "auth_mode personalAccessToken, token \"\"", doc(auth_mode="personalAccessToken", personal_access_token=""))

# --- environment ----------------------------------------------------------------------------
case("env-access-token-jwt", "CODEX_ACCESS_TOKEN holds a good JWT, no file", None, env={"CODEX_ACCESS_TOKEN": GOOD_JWT})
case("env-access-token-pat", "CODEX_ACCESS_TOKEN holds an at- token, no file", None, env={"CODEX_ACCESS_TOKEN": PAT})
case("env-access-token-garbage", "CODEX_ACCESS_TOKEN holds garbage, no file", None, env={"CODEX_ACCESS_TOKEN": "garbage"})
case("env-access-token-over-file", "CODEX_ACCESS_TOKEN JWT beside a ChatGPT file", CHATGPT, env={"CODEX_ACCESS_TOKEN": GOOD_JWT})
case("env-access-token-empty", "CODEX_ACCESS_TOKEN empty beside a ChatGPT file", CHATGPT, env={"CODEX_ACCESS_TOKEN": ""})
case("env-agent-identity-only", "CODEX_AGENT_IDENTITY holds a good JWT, no file", None, env={"CODEX_AGENT_IDENTITY": GOOD_JWT})
case("env-agent-identity-over-file", "CODEX_AGENT_IDENTITY beside a ChatGPT file", CHATGPT, env={"CODEX_AGENT_IDENTITY": GOOD_JWT})
case("env-api-key-only", "CODEX_API_KEY set, no file", None, env={"CODEX_API_KEY": API_KEY})
case("env-api-key-over-file", "CODEX_API_KEY beside a ChatGPT file", CHATGPT, env={"CODEX_API_KEY": API_KEY})
case("env-openai-api-key-only", "OPENAI_API_KEY env set, no file", None, env={"OPENAI_API_KEY": API_KEY})

# --- config.toml ----------------------------------------------------------------------------
case("config-unparseable", "config.toml is not TOML", CHATGPT, config="this is = = not toml\n[[[\n")
case("config-empty", "an empty config.toml", CHATGPT, config="")
case("config-unrelated", "config.toml with unrelated keys and tables", CHATGPT,
     config='model = "o3"\n[profiles.x]\ncli_auth_credentials_store = "keyring"\n')
case("config-store-file", "cli_auth_credentials_store = file", CHATGPT, config='cli_auth_credentials_store = "file"\n')
case("config-store-keyring", "cli_auth_credentials_store = keyring (no keyring here)", CHATGPT,
     config='cli_auth_credentials_store = "keyring"\n')
case("config-store-auto", "cli_auth_credentials_store = auto (no keyring here)", CHATGPT,
     config='cli_auth_credentials_store = "auto"\n')
case("config-store-ephemeral", "cli_auth_credentials_store = ephemeral", CHATGPT,
     config='cli_auth_credentials_store = "ephemeral"\n')
case("config-store-unknown", "cli_auth_credentials_store = vault", CHATGPT, config='cli_auth_credentials_store = "vault"\n')
case("config-store-number", "cli_auth_credentials_store = 3", CHATGPT, config="cli_auth_credentials_store = 3\n")
case("config-store-keyring-no-file", "keyring store, no auth.json", None, config='cli_auth_credentials_store = "keyring"\n')
case("config-forced-api-chatgpt", "forced_login_method = api with a ChatGPT login", CHATGPT, config='forced_login_method = "api"\n')
case("config-forced-chatgpt-apikey", "forced_login_method = chatgpt with an API key",
     doc(auth_mode="apikey", OPENAI_API_KEY=API_KEY), config='forced_login_method = "chatgpt"\n')
case("config-forced-chatgpt-ok", "forced_login_method = chatgpt with a ChatGPT login", CHATGPT, config='forced_login_method = "chatgpt"\n')
case("config-forced-api-ok", "forced_login_method = api with an API key",
     doc(auth_mode="apikey", OPENAI_API_KEY=API_KEY), config='forced_login_method = "api"\n')
case("config-forced-bogus", "forced_login_method = bogus", CHATGPT, config='forced_login_method = "bogus"\n')
case("config-forced-chatgpt-agent", "forced_login_method = chatgpt with an Agent Identity",
     agent_doc(record()), config='forced_login_method = "chatgpt"\n')
case("config-forced-api-agent", "forced_login_method = api with an Agent Identity",
     agent_doc(record()), config='forced_login_method = "api"\n')
case("config-workspace-match", "forced_chatgpt_workspace_id matches the login", CHATGPT,
     config='forced_chatgpt_workspace_id = "account-parity"\n')
case("config-workspace-mismatch", "forced_chatgpt_workspace_id differs from the login", CHATGPT,
     config='forced_chatgpt_workspace_id = "account-other"\n')
case("config-workspace-apikey", "forced_chatgpt_workspace_id with an API key",
     doc(auth_mode="apikey", OPENAI_API_KEY=API_KEY), config='forced_chatgpt_workspace_id = "account-other"\n')
case("config-workspace-agent-mismatch", "forced_chatgpt_workspace_id differs from an Agent Identity's account",
     agent_doc(record()), config='forced_chatgpt_workspace_id = "account-other"\n')
case("config-fifo", "config.toml is a FIFO nothing writes to (the script makes it; git cannot hold one)",
     CHATGPT, config=FIFO)
case("config-workspace-empty", "forced_chatgpt_workspace_id = \"\"", CHATGPT, config='forced_chatgpt_workspace_id = ""\n')


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    names = set()
    for name, about, auth, config, env, raw in cases:
        assert name not in names, name
        names.add(name)
        d = os.path.join(OUT, name)
        os.makedirs(d)
        with open(os.path.join(d, "about"), "w") as fh:
            fh.write(about + "\n")
        if raw is not None:
            with open(os.path.join(d, "auth.json"), "w", encoding="utf-8") as fh:
                fh.write(raw)
        elif auth is not None:
            with open(os.path.join(d, "auth.json"), "w") as fh:
                fh.write(json.dumps(auth, indent=2) + "\n")
        if config is FIFO:
            open(os.path.join(d, "config.fifo"), "w").close()
        elif config is not None:
            with open(os.path.join(d, "config.toml"), "w") as fh:
                fh.write(config)
        if env:
            with open(os.path.join(d, "env"), "w") as fh:
                for k, v in env.items():
                    fh.write(f"{k}={v}\n")
    # The mock backend trusts these runtimes (a JWT and a record without a task id).
    trust = os.path.join(os.path.dirname(OUT), "trust")
    if os.path.isdir(trust):
        shutil.rmtree(trust)
    os.makedirs(trust)
    with open(os.path.join(trust, "agent.json"), "w") as fh:
        fh.write(json.dumps(agent_doc(GOOD_JWT), indent=2) + "\n")
    with open(os.path.join(trust, "record.json"), "w") as fh:
        fh.write(json.dumps(agent_doc(record(task_id=DROP)), indent=2) + "\n")
    print(f"{len(cases)} cases in {OUT}")


main()
