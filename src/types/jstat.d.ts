// jstat ships no type declarations; these cover the functions driftwatch uses.
declare module 'jstat' {
  export const jStat: {
    normal: { cdf(x: number, mean: number, sd: number): number; inv(p: number, mean: number, sd: number): number };
    chisquare: { cdf(x: number, dof: number): number };
    studentt: { cdf(x: number, dof: number): number; inv(p: number, dof: number): number };
  };
}
