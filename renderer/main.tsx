import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ReaderApp, readerRouteOfPage } from './app/ReaderApp';
import './app/theme.css';
import './app/layout.css';

const root = document.getElementById('root');
// a detached reader window opens the app's page at #/reader?…
const reader = readerRouteOfPage();
if (root) {
  createRoot(root).render(<StrictMode>{reader ? <ReaderApp route={reader} /> : <App />}</StrictMode>);
}
