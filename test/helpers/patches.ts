/** `src/a.ts` as the patch tests commit it. */
export const A_TS = 'const a = 1;\nconst b = 2;\nexport { a, b };\n';

/** A unified diff (no `diff --git` line) that turns A_TS's `const b = 2` into `const b = 3`. */
export const MODIFY_A_TS = `--- a/src/a.ts
+++ b/src/a.ts
@@ -1,3 +1,3 @@
 const a = 1;
-const b = 2;
+const b = 3;
 export { a, b };
`;
