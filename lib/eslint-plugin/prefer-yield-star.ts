// Rule prefer-yield-star (docs/ESLINT.md#prefer-yield-star): `yield x` where x is a Future, a Task or
// a coroutine. A Task does wait for what a bare `yield` hands it (lib/tasks.ts: a future is parked
// on, a coroutine is run inline), but the value of `yield x` is typed `unknown`, so the result's type
// is lost; `yield* x` is the awaiting form (Python's `await x`) and returns `T`.
// Only in a coroutine: a generator declared (or contextually typed) to yield `unknown`, as
// `Coroutine<T>` does; or an undeclared one that uses the value of the yield (only a Task sends one
// back). An iterator may yield Futures and coroutines as its values (`gather(...coros())`).
// Autofix: `yield` -> `yield*`, which waits the same way and returns the result, typed.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { is, isCoroutineType, isFuture, isGenerator, typedServices, unwrap } from './types';

type MessageId = 'preferYieldStar';

/**
 * Reports `yield x` where `x` is a Future, a Task or a coroutine: `yield* x` awaits it and keeps its
 * result type.
 * @see Python `await` (`yield* x` is tsyncio's spelling)
 */
export const preferYieldStar: TSESLint.RuleModule<MessageId> = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Require `yield*` (not `yield`) to await a Future, Task or coroutine, so the result keeps its type',
    },
    fixable: 'code',
    schema: [],
    messages: {
      preferYieldStar:
        '`yield` hands this {{what}} to the task, but its result comes back typed `unknown`: await it with `yield*` (Python\'s `await`).',
    },
  },
  create(context) {
    const services = typedServices(context);
    const checker = services.program.getTypeChecker();
    const source = context.sourceCode;

    /** Whether `type` is `unknown` or `any`: what a coroutine yields (`Coroutine<T>` yields `unknown`). */
    const isOpen = (type: ts.Type): boolean => {
      if (type === checker.getUnknownType() || type === checker.getAnyType()) return true;
      const name = checker.typeToString(type); // the checker has more than one intrinsic `any`
      return name === 'unknown' || name === 'any';
    };

    const what = (node: TSESTree.YieldExpression, argument: TSESTree.Expression): string | null => {
      // What the generator is declared (or contextually typed) to yield: a coroutine yields `unknown`;
      // an iterator declared to yield Tasks (`Iterable<Task<T>>`) hands them out as values.
      const tsYield = services.esTreeNodeToTSNodeMap.get(node);
      const declared = tsYield.expression === undefined ? undefined : checker.getContextualType(tsYield.expression);
      if (declared !== undefined && !isOpen(declared)) return null;
      // Undeclared: only a coroutine gets something back from a yield, so a yield whose value is
      // dropped may be an iterator's.
      if (declared === undefined && is(node.parent, 'ExpressionStatement')) return null;
      const type = services.getTypeAtLocation(argument);
      if (isFuture(checker, type)) return 'Future';
      if (declared !== undefined ? isGenerator(checker, type) : isCoroutineType(checker, type)) return 'coroutine';
      return null;
    };

    return {
      YieldExpression(node) {
        if (node.delegate || node.argument === null) return;
        const kind = what(node, unwrap(node.argument));
        if (kind === null) return;
        const yieldToken = source.getFirstToken(node);
        context.report({
          node,
          messageId: 'preferYieldStar',
          data: { what: kind },
          fix: yieldToken === null ? null : (fixer) => fixer.insertTextAfter(yieldToken, '*'),
        });
      },
    };
  },
};
