-- Payments and wallet (family C). Money is integer minor units.
-- Invariants live here: a wallet never goes below zero (CHECK), one successful
-- payment per trip and one attempt in flight per trip (partial unique indexes),
-- a top-up reference used once per user, an idempotency key used once per passenger.

-- Accounts: a passenger wallet per user, driver earnings and cash debt per driver,
-- platform commission and fees, and clearing accounts for money entering from outside
-- (top-ups, external gateways). balance_minor always equals the sum of the account's entries:
-- both are written in the same transaction by the one posting function.
CREATE TABLE ledger_accounts (
  id            text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('wallet', 'driver_earnings', 'driver_cash_debt', 'platform_commission', 'platform_fees', 'clearing')),
  owner_id      text,
  balance_minor bigint NOT NULL DEFAULT 0,
  CONSTRAINT wallet_not_negative CHECK (kind <> 'wallet' OR balance_minor >= 0)
);

CREATE TABLE ledger_transactions (
  id         uuid PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('credit', 'charge', 'refund')),
  reference  text NOT NULL,
  created_at timestamptz NOT NULL
);

-- Double entry: each transaction's entries sum to zero (checked by the posting function
-- before insert, and by the test suite over the whole table).
CREATE TABLE ledger_entries (
  id             bigserial PRIMARY KEY,
  transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  account_id     text NOT NULL REFERENCES ledger_accounts (id),
  amount_minor   bigint NOT NULL CHECK (amount_minor <> 0),
  created_at     timestamptz NOT NULL
);
CREATE INDEX ledger_entries_account ON ledger_entries (account_id, id);

-- Wallet top-ups: the reference is idempotent per user.
CREATE TABLE wallet_credits (
  user_id        text NOT NULL,
  reference      text NOT NULL,
  amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
  transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
  balance_minor  bigint NOT NULL,
  PRIMARY KEY (user_id, reference)
);

CREATE SEQUENCE receipt_numbers;

-- One row per payment attempt; its id is the wire transactionId and the gateway's idempotency key.
CREATE TABLE payments (
  id                    uuid PRIMARY KEY,
  trip_id               uuid NOT NULL,
  passenger_id          text NOT NULL,
  driver_id             text NOT NULL,
  method                text NOT NULL CHECK (method IN ('wallet', 'cash', 'ebs', 'cyberpay')),
  status                text NOT NULL CHECK (status IN ('processing', 'completed', 'failed')),
  idempotency_key       text,
  fare_minor            bigint NOT NULL CHECK (fare_minor >= 0),
  platform_fee_minor    bigint NOT NULL CHECK (platform_fee_minor >= 0),
  total_minor           bigint NOT NULL CHECK (total_minor >= 0),
  driver_earnings_minor bigint NOT NULL CHECK (driver_earnings_minor >= 0),
  commission_minor      bigint NOT NULL CHECK (commission_minor >= 0),
  receipt_number        text UNIQUE,
  wallet_balance_minor  bigint,
  ledger_transaction_id uuid REFERENCES ledger_transactions (id),
  error_code            text,
  error_message         text,
  retryable             boolean,
  -- The lease of the node running the attempt; an expired lease on a 'processing' row may be taken over.
  claim_expires_at      timestamptz NOT NULL,
  created_at            timestamptz NOT NULL,
  updated_at            timestamptz NOT NULL,
  CHECK (fare_minor + platform_fee_minor = total_minor AND driver_earnings_minor + commission_minor = fare_minor)
);
CREATE UNIQUE INDEX payments_one_success ON payments (trip_id) WHERE status = 'completed';
CREATE UNIQUE INDEX payments_one_in_flight ON payments (trip_id) WHERE status = 'processing';
CREATE UNIQUE INDEX payments_idempotency ON payments (passenger_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX payments_trip ON payments (trip_id, created_at);
