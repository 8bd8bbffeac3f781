ALTER TABLE "ledger_entries" DROP CONSTRAINT "ledger_entries_account_id_currency_ledger_accounts_id_currency_fk";--> statement-breakpoint
ALTER TABLE "ledger_accounts" DROP CONSTRAINT "ledger_accounts_id_currency_unique";
--> statement-breakpoint
-- The entries' (account, currency) foreign key is replaced by this check at commit: a foreign key
-- takes a KEY SHARE lock on the account row for every entry, and every ingest posts to the same few
-- accounts (the network's revenue, a big advertiser), which made those rows hot. An account is
-- never deleted or rewritten (triggers below), so existence and currency, once checked, hold.
CREATE OR REPLACE FUNCTION "ledger_check_transfer_balance"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  unbalanced record;
BEGIN
  PERFORM 1 FROM ledger_accounts a WHERE a.id = NEW.account_id AND a.currency = NEW.currency;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ledger entry % names no account % in %', NEW.id, NEW.account_id, NEW.currency
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  SELECT e.currency, e.layer, sum(e.amount_minor) AS net INTO unbalanced
  FROM ledger_entries e
  WHERE e.transfer_id = NEW.transfer_id
  GROUP BY e.currency, e.layer
  HAVING sum(e.amount_minor) <> 0
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'ledger transfer % does not balance: its % % entries net to %',
      NEW.transfer_id, unbalanced.layer, unbalanced.currency, unbalanced.net
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
DROP TRIGGER "ledger_accounts_append_only" ON "ledger_accounts";
--> statement-breakpoint
CREATE TRIGGER "ledger_accounts_append_only" BEFORE UPDATE OR DELETE ON "ledger_accounts"
  FOR EACH ROW EXECUTE FUNCTION "ledger_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "ledger_accounts_no_truncate" BEFORE TRUNCATE ON "ledger_accounts"
  FOR EACH STATEMENT EXECUTE FUNCTION "ledger_refuse_change"();
