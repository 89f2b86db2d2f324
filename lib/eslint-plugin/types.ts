// Shared helpers of the tsyncio ESLint rules (docs/ESLINT.md): how a rule reaches typescript-eslint's
// type information and tells a coroutine, a Future or Node's global Event from anything else.
// Invariants: this folder is tooling, never loaded by the runtime (lib/index.ts does not import it),
// and it imports the toolchain (typescript, @typescript-eslint/utils) for types only, so the package
// keeps no runtime dependency: what the rules need at run time comes from the objects ESLint and
// typescript-eslint hand them (the parser services, the type checker, the scope manager).
import type { AST_NODE_TYPES, ParserServicesWithTypeInformation, TSESLint, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';

/** The name of a node type, as a string ('CallExpression'). */
type NodeTypeName = `${AST_NODE_TYPES}`;

/** The ESTree node whose `type` is `S`. */
type NodeOf<S extends NodeTypeName> = TSESTree.Node extends infer N
  ? N extends { type: infer K extends string } ? (`${K}` extends S ? N : never) : never
  : never;

/**
 * Whether `node` is an ESTree node of type `type` (the rules compare strings, so they need no
 * runtime copy of typescript-eslint's AST_NODE_TYPES enum).
 * @see docs/ESLINT.md
 */
export function is<S extends NodeTypeName>(node: TSESTree.Node | null | undefined, type: S): node is NodeOf<S> {
  return node != null && (node.type as string) === type;
}

/**
 * typescript-eslint's parser services with a program, or a thrown Error that says how to turn type
 * information on (as typescript-eslint's own typed rules do).
 * @see docs/ESLINT.md#setup
 */
export function typedServices(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): ParserServicesWithTypeInformation {
  const services = context.sourceCode.parserServices;
  if (services?.program == null || services.esTreeNodeToTSNodeMap === undefined) {
    throw new Error(
      `The tsyncio rule ${context.id} needs type information: lint with typescript-eslint's parser and ` +
        'parserOptions.projectService (or project) set; see docs/ESLINT.md#setup',
    );
  }
  return services as ParserServicesWithTypeInformation;
}

/** The members of a union or intersection type, or the type itself. */
function members(type: ts.Type): readonly ts.Type[] {
  return type.isUnion() || type.isIntersection() ? type.types : [type];
}

/** Whether `type` (a type parameter counts as its constraint) is a Generator object, such as a tsyncio `Coroutine`. */
function isGeneratorObject(checker: ts.TypeChecker, type: ts.Type): boolean {
  const apparent = checker.getApparentType(type);
  if (apparent.aliasSymbol?.getName() === 'Coroutine') return true;
  return apparent.getSymbol()?.getName() === 'Generator';
}

/**
 * Whether a value of type `type` is (or may be, for a union) a generator object, such as a tsyncio
 * `Coroutine`: what `function*` calls return.
 * @see Python `collections.abc.Coroutine`
 */
export function isGenerator(checker: ts.TypeChecker, type: ts.Type): boolean {
  return members(type).some((t) => isGeneratorObject(checker, t));
}

/**
 * Whether `type` is a tsyncio coroutine by its declared type: the `Coroutine` alias, or a Generator
 * whose yield type is `unknown` or `any` (`Coroutine<T>` is `Generator<unknown, T, unknown>`).
 * @see Python `collections.abc.Coroutine`
 */
export function isCoroutineType(checker: ts.TypeChecker, type: ts.Type): boolean {
  return members(type).some((t) => {
    if (t.aliasSymbol?.getName() === 'Coroutine') return true;
    if (t.getSymbol()?.getName() !== 'Generator') return false;
    const yieldType = checker.getTypeArguments(t as ts.TypeReference)[0] as ts.Type | undefined;
    return yieldType === checker.getUnknownType() || yieldType === checker.getAnyType();
  });
}

/** The members every tsyncio Future (and Task) has: what the rules recognise a Future by. */
const FUTURE_MEMBERS = ['addDoneCallback', 'result', 'exception', 'cancel', 'done'] as const;

/**
 * Whether a value of type `type` is a tsyncio Future or Task (by its members, as Python's `isfuture`
 * goes by `_asyncio_future_blocking`).
 * @see Python `asyncio.isfuture`
 */
export function isFuture(checker: ts.TypeChecker, type: ts.Type): boolean {
  return members(type).some((t) => {
    const apparent = checker.getApparentType(t);
    return FUTURE_MEMBERS.every((name) => apparent.getProperty(name) !== undefined);
  });
}

/**
 * Whether `type` is Node's (the DOM's) global `Event`: a type named Event declared only in
 * TypeScript's default libraries or in `@types/node`, never tsyncio's `Event` class.
 * @see Python `asyncio.Event`
 */
export function isGlobalEvent(program: ts.Program, type: ts.Type): boolean {
  const symbol = type.getSymbol();
  if (symbol?.getName() !== 'Event') return false;
  const decls = symbol.getDeclarations() ?? [];
  return decls.length > 0 && decls.every((d) => {
    const sf = d.getSourceFile();
    return program.isSourceFileDefaultLibrary(sf) || /[\\/]node_modules[\\/]@types[\\/]node[\\/]/.test(sf.fileName);
  });
}

/**
 * The expression inside wrappers that change nothing at run time: `x!`, `x as T`, `x satisfies T`,
 * `<T>x`, `a?.b`.
 * @see docs/ESLINT.md
 */
export function unwrap(node: TSESTree.Expression): TSESTree.Expression {
  let n = node;
  for (;;) {
    if (is(n, 'TSNonNullExpression') || is(n, 'TSAsExpression') || is(n, 'TSSatisfiesExpression') || is(n, 'TSTypeAssertion')) n = n.expression;
    else if (is(n, 'ChainExpression')) n = n.expression;
    else return n;
  }
}

/** The function `node` is in (null at module level). @see docs/ESLINT.md */
export function enclosingFunction(node: TSESTree.Node): TSESTree.FunctionLike | null {
  for (let n: TSESTree.Node | null | undefined = node.parent; n != null; n = n.parent) {
    if (is(n, 'FunctionDeclaration') || is(n, 'FunctionExpression') || is(n, 'ArrowFunctionExpression')) return n;
  }
  return null;
}
