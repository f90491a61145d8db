package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"text/tabwriter"
	"time"

	"forewarn/app/config"
	"forewarn/app/service"
)

const apikeyUsage = "usage: forewarn apikey add --org ID --scopes read,submit --name NAME [--rate-limit N] | apikey list [--org ID] | apikey revoke --id ID | --prefix P"

// apikeyCmd issues, lists and revokes partner organisations' API keys. A
// new key is printed once, on stdout; only its hash is kept.
func apikeyCmd(ctx context.Context, cfg config.Config, log *slog.Logger, args []string, opt commandOptions, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New(apikeyUsage)
	}
	switch args[0] {
	case "add":
		if opt.org == 0 || opt.name == "" {
			return errors.New("apikey add: --org and --name are required")
		}
	case "list":
	case "revoke":
		if (opt.keyID == 0) == (opt.prefix == "") {
			return errors.New("apikey revoke: give --id or --prefix")
		}
	default:
		return errors.New(apikeyUsage)
	}
	svc, closeDB, err := openServices(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	keys := svc.APIKeys
	switch args[0] {
	case "add":
		k, err := keys.IssueByOperator(ctx, serviceKeyInput(opt))
		if err != nil {
			return fmt.Errorf("apikey add: %w", describe(err))
		}
		fmt.Fprintf(stdout, "issued key %d %q to organisation %d, scopes %s, %d requests a minute\n", k.ID, k.Name, k.OrganisationID, k.Scopes, k.RateLimit)
		fmt.Fprintln(stdout, "the key, shown this once:")
		fmt.Fprintln(stdout, k.Key)
		return nil
	case "list":
		rows, err := keys.ListByOperator(ctx, opt.org)
		if err != nil {
			return fmt.Errorf("apikey list: %w", err)
		}
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tPREFIX\tORGANISATION\tNAME\tSCOPES\tLIMIT/MIN\tLAST USED\tREVOKED")
		for _, r := range rows {
			fmt.Fprintf(w, "%d\tfw_%s\t%d %s\t%s\t%s\t%d\t%s\t%s\n", r.ID, r.Prefix, r.OrganisationID, r.Organisation, r.Name, r.Scopes, r.RateLimit, when(r.LastUsedAt), when(r.RevokedAt))
		}
		return w.Flush()
	default: // revoke
		k, err := keys.RevokeByOperator(ctx, opt.keyID, opt.prefix)
		if err != nil {
			return fmt.Errorf("apikey revoke: %w", err)
		}
		if k.RevokedAt != nil {
			fmt.Fprintf(stdout, "key %d %q (fw_%s) was revoked already, on %s\n", k.ID, k.Name, k.Prefix, when(k.RevokedAt))
			return nil
		}
		fmt.Fprintf(stdout, "revoked key %d %q (fw_%s)\n", k.ID, k.Name, k.Prefix)
		return nil
	}
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func serviceKeyInput(opt commandOptions) service.KeyInput {
	return service.KeyInput{Organisation: strconv.FormatInt(opt.org, 10), Name: opt.name, Scopes: opt.scopes, RateLimit: opt.rateLimit}
}
