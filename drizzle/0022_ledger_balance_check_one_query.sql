-- The commit-time check runs once per entry, and the entries of one transfer are queued one after
-- another: the first of them checks the whole transfer (every entry's account in its currency, and
-- the entries netting to zero per currency and layer) in one query, and remembers for the rest of
-- the transaction the transfer and its last entry then, so the calls of its other entries return
-- at once. An entry added after that check (after SET CONSTRAINTS ... IMMEDIATE) has a higher id
-- and checks the transfer again.
CREATE OR REPLACE FUNCTION "ledger_check_transfer_balance"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  checked text := coalesce(current_setting('tas.ledger_checked', true), '');
  last_entry bigint;
  without_account bigint;
  unbalanced text;
BEGIN
  IF checked <> '' AND split_part(checked, ':', 1)::bigint = NEW.transfer_id
     AND NEW.id <= split_part(checked, ':', 2)::bigint THEN
    RETURN NULL;
  END IF;
  SELECT max(e.id), min(e.id) FILTER (WHERE a.id IS NULL),
         (SELECT format('its %s %s entries net to %s', x.layer, x.currency, sum(x.amount_minor))
          FROM ledger_entries x
          WHERE x.transfer_id = NEW.transfer_id
          GROUP BY x.currency, x.layer
          HAVING sum(x.amount_minor) <> 0
          LIMIT 1)
    INTO last_entry, without_account, unbalanced
  FROM ledger_entries e
  LEFT JOIN ledger_accounts a ON a.id = e.account_id AND a.currency = e.currency
  WHERE e.transfer_id = NEW.transfer_id;
  IF without_account IS NOT NULL THEN
    RAISE EXCEPTION 'ledger entry % names no account in its currency', without_account
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transfer % does not balance: %', NEW.transfer_id, unbalanced
      USING ERRCODE = 'check_violation';
  END IF;
  PERFORM set_config('tas.ledger_checked', NEW.transfer_id || ':' || last_entry, true);
  RETURN NULL;
END
$$;
