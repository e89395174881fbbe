/** Where the stories bar will be while it loads: the same height, so nothing below it jumps. */
export function StoriesBarSkeleton() {
  return (
    <div className="stories-bar" aria-hidden="true">
      <div className="stories-list">
        {[0, 1, 2, 3].map((i) => (
          <span key={i} className="story-tile">
            <span className="skeleton story-skeleton-ring" />
            <span className="skeleton skeleton-bar story-skeleton-name" />
          </span>
        ))}
      </div>
    </div>
  );
}
