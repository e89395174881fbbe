// Long numbers and codes in groups ("12345 67890 …"), so they can be read aloud and compared. The
// groups are separated by spaces in the text too, so copying or reading the text gives them.
import { Fragment } from "react";
import { groupsOf } from "./codes";

export function GroupedCode({ value, size, className, testId }: { value: string; size: number; className: string; testId?: string }) {
  return (
    <p className={className} data-testid={testId} translate="no">
      {groupsOf(value, size).map((group, index) => (
        <Fragment key={index}>
          {index > 0 ? " " : null}
          <span>{group}</span>
        </Fragment>
      ))}
    </p>
  );
}
