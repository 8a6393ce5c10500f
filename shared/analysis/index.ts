export * from './stats';
export * from './fit';
export * from './valley';
export * from './errors';
export * from './ablation';
export * from './format';
