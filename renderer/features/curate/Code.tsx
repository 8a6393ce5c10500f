export { Code } from '../../components/Code';
