"use client";
// The search page's own field. A <Form> from next/form: a plain GET to /search that works before
// any script runs, and a client-side navigation once it has.
import Form from "next/form";
import { useTranslations } from "next-intl";
import { Icon } from "@/app/_shared/ui/icons";
import { MAX_QUERY_LENGTH, type SearchType } from "./search-query";

export function SearchField({ query, type }: { query: string; type: SearchType }) {
  const t = useTranslations("search");
  return (
    <Form action="/search" role="search" className="search-field">
      <label htmlFor="search-page-query" className="sr-only">
        {t("fieldLabel")}
      </label>
      <div className="search-box">
        <Icon name="search" />
        <input
          key={query}
          id="search-page-query"
          name="q"
          type="search"
          defaultValue={query}
          placeholder={t("placeholder")}
          autoComplete="off"
          enterKeyHint="search"
          maxLength={MAX_QUERY_LENGTH}
          // Arriving with nothing to search for (the "/" shortcut on a phone): ready to type.
          autoFocus={!query}
        />
      </div>
      {type === "people" ? <input type="hidden" name="type" value="people" /> : null}
      <button type="submit" className="button button-primary">
        {t("submit")}
      </button>
    </Form>
  );
}
