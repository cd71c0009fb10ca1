/** Runs at most `size` tasks at once. */
export function pool(size: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async (task) => {
    if (active >= size) await new Promise<void>((resolve) => queue.push(resolve));
    else active += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next task, so a newcomer cannot squeeze in between.
      const next = queue.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
