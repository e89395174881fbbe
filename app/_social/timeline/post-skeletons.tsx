/** Grey shapes where posts will be: the layout does not jump when they arrive. */
export function PostSkeletons({ count = 3 }: { count?: number }) {
  return (
    <div className="post-skeletons" aria-hidden="true">
      {Array.from({ length: count }, (_, i) => (
        <div key={i} className="post-skeleton">
          <span className="skeleton skeleton-avatar" />
          <span className="post-skeleton-bars">
            <span className="skeleton skeleton-bar skeleton-short" />
            <span className="skeleton skeleton-bar" />
            <span className="skeleton skeleton-bar skeleton-medium" />
          </span>
        </div>
      ))}
    </div>
  );
}
