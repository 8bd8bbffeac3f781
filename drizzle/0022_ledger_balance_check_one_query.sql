-- The commit-time check runs once per entry: both of its questions (the entry's account in its
-- currency, the transfer netting to zero per currency and layer) in one query, one executor start.
CREATE OR REPLACE FUNCTION "ledger_check_transfer_balance"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_account boolean;
  unbalanced text;
BEGIN
  SELECT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.id = NEW.account_id AND a.currency = NEW.currency),
         (SELECT format('its %s %s entries net to %s', e.layer, e.currency, sum(e.amount_minor))
          FROM ledger_entries e
          WHERE e.transfer_id = NEW.transfer_id
          GROUP BY e.currency, e.layer
          HAVING sum(e.amount_minor) <> 0
          LIMIT 1)
    INTO found_account, unbalanced;
  IF NOT found_account THEN
    RAISE EXCEPTION 'ledger entry % names no account % in %', NEW.id, NEW.account_id, NEW.currency
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF unbalanced IS NOT NULL THEN
    RAISE EXCEPTION 'ledger transfer % does not balance: %', NEW.transfer_id, unbalanced
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
