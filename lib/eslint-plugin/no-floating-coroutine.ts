// Rule no-floating-coroutine (docs/ESLINT.md#no-floating-coroutine): the edit-time form of Python's
// RuntimeWarning "coroutine ... was never awaited". A coroutine is a generator object: calling a
// `function*` runs none of its body, so `sleep(1);` and `await sleep(1)` do nothing.
// Reported: a Generator-typed expression used as a statement (also under `void`, `?:`, `&&`/`||`/`??`
// and `,`), and a Generator-typed operand of JS `await` (a generator is not a thenable: `await`
// hands it back untouched). Everything else uses the coroutine: `yield* c`, `createTask(c)`,
// `const c = ...`, `return c`, `run(c)`.
// Suggestion (not an autofix: it makes code run that did not): `yield* ` in front, inside a generator.
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { enclosingFunction, is, isGenerator, typedServices, unwrap } from './types';

type MessageId = 'statement' | 'await' | 'addYieldStar';

/**
 * Reports a coroutine (any Generator object) that is created and dropped, or given to JS `await`:
 * its body never runs.
 * @see Python `RuntimeWarning: coroutine '...' was never awaited`
 */
export const noFloatingCoroutine: TSESLint.RuleModule<MessageId> = {
  meta: {
    type: 'problem',
    docs: {
      description: 'Require coroutines (generator objects) to be awaited with `yield*` or handed to the loop, not dropped or given to `await`',
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      statement:
        'This coroutine is never awaited: calling a function* only creates a generator, its body does not run. ' +
        'Use `yield* {{text}}` in a coroutine, or hand it to run()/createTask().',
      await:
        '`await` does not run a coroutine (a generator is not a thenable; `await` returns it unstarted). ' +
        'Use `yield* {{text}}` in a function* coroutine, or `await run({{text}})` from plain async code.',
      addYieldStar: 'Await it: `yield* {{text}}`.',
    },
  },
  create(context) {
    const services = typedServices(context);
    const checker = services.program.getTypeChecker();
    const source = context.sourceCode;

    const short = (node: TSESTree.Node): string => {
      const text = source.getText(node).replace(/\s+/g, ' ');
      return text.length > 40 ? `${text.slice(0, 37)}...` : text;
    };

    const isCoroutine = (node: TSESTree.Expression): boolean => isGenerator(checker, services.getTypeAtLocation(node));

    /**
     * Whether a call returns a coroutine it was given in a variable (`Object.defineProperty(g, ...)`,
     * a chaining helper `spy(g)`): that coroutine is the variable's, and dropping the call's value
     * drops nothing. A coroutine made in the arguments (`spy(sleep(1))`) still floats.
     */
    const passesThrough = (node: TSESTree.Expression): boolean => {
      if (!is(node, 'CallExpression') && !is(node, 'NewExpression')) return false;
      const type = services.getTypeAtLocation(node);
      return node.arguments.some((arg) => {
        const a = unwrap(arg as TSESTree.Expression);
        return (is(a, 'Identifier') || is(a, 'MemberExpression') || is(a, 'ThisExpression')) && services.getTypeAtLocation(a) === type;
      });
    };

    /** Where `yield*` can go: the nearest function is a (non-async) generator. */
    const inGenerator = (node: TSESTree.Node): boolean => {
      const fn = enclosingFunction(node);
      return fn !== null && fn.generator && !fn.async;
    };

    /**
     * Checks an expression whose value is dropped. `top` is the statement's whole expression (or the
     * operand of a `void` that is): `yield* x` may replace it as it is; a nested one needs parentheses.
     */
    const checkDropped = (expr: TSESTree.Expression, top: boolean): void => {
      const node = unwrap(expr);
      if (is(node, 'SequenceExpression')) {
        for (const e of node.expressions) checkDropped(e, false);
        return;
      }
      if (is(node, 'ConditionalExpression')) {
        checkDropped(node.consequent, false);
        checkDropped(node.alternate, false);
        return;
      }
      if (is(node, 'LogicalExpression')) {
        checkDropped(node.left, false);
        checkDropped(node.right, false);
        return;
      }
      if (is(node, 'UnaryExpression') && node.operator === 'void') {
        checkDropped(node.argument, top);
        return;
      }
      // Assignments, `yield`, `await` (checked on its own) and the like use their operand.
      if (!is(node, 'CallExpression') && !is(node, 'NewExpression') && !is(node, 'Identifier')
        && !is(node, 'MemberExpression') && !is(node, 'TaggedTemplateExpression')) return;
      if (!isCoroutine(node) || passesThrough(node)) return;
      const text = short(node);
      const suggest: TSESLint.ReportSuggestionArray<MessageId> = [];
      if (inGenerator(node)) {
        // A statement `x;` or `void x;` becomes `yield* x;`; anything nested becomes `(yield* x)`.
        const statement = expr.parent;
        const whole = top && is(statement, 'ExpressionStatement') ? statement.expression
          : top && is(statement, 'UnaryExpression') && is(statement.parent, 'ExpressionStatement') ? statement : null;
        suggest.push({
          messageId: 'addYieldStar',
          data: { text },
          fix: (fixer) => (whole !== null
            ? fixer.replaceText(whole, `yield* ${source.getText(expr)}`)
            : fixer.replaceText(expr, `(yield* ${source.getText(expr)})`)),
        });
      }
      context.report({ node, messageId: 'statement', data: { text }, suggest });
    };

    return {
      ExpressionStatement(node) {
        // 'use strict' and other directives are strings, never coroutines.
        if (node.directive !== undefined) return;
        checkDropped(node.expression, true);
      },
      AwaitExpression(node) {
        const operand = unwrap(node.argument);
        if (isCoroutine(operand)) context.report({ node, messageId: 'await', data: { text: short(operand) } });
      },
    };
  },
};
